import { unpackKeys, type KeyPack } from './key-store.js';
import type { PipePool } from './pipe-pool.js';
import { replyInteger, type Reply } from './resp-decode.js';
import { encodePacked } from './resp-pipe.js';

/**
 * UNLINK batches, with what servers answer on the way:
 *  - UNLINK missing (`rename-command UNLINK ""`, Redis < 4) or denied by the ACL (NOPERM for
 *    the command, not for a key): switch to DEL for the rest of the run, on every node, and
 *    re-send the batch that failed;
 *  - on a cluster, pipelined single-key UNLINKs (a variadic one is CROSSSLOT, redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/),
 *    and per key: MOVED → re-send to the new owner; ASK → ASKING + UNLINK on the importing node;
 *    TRYAGAIN → a moment later. Each redirect is counted so the caller scans again.
 * Deletions are counted where they happened: the sum of the integer replies, so it is exact.
 */
export interface Unlinker {
  unlink(address: string, keys: KeyPack): Promise<void>;
  /** UNLINK, or DEL once the fallback happened. */
  command(): string;
  /** Redirects followed since the last call. */
  takeRedirects(): number;
}

/** A key redirected more often than this in one go: the cluster is not converging. */
const maxHops = 5;

export function isUnlinkMissing(err: Error): boolean {
  return /unknown command [`']unlink[`']/i.test(err.message) || /NOPERM.*'unlink'/i.test(err.message);
}

export function createUnlinker(
  pool: PipePool,
  cluster: boolean,
  onDeleted: (address: string, n: number) => void,
): Unlinker {
  let command = 'UNLINK';
  let redirects = 0;

  /** Run `attempt` with the current command; once UNLINK turns out missing, again with DEL. */
  const withFallback = async (attempt: (cmd: string) => Promise<void>): Promise<void> => {
    const used = command;
    try {
      await attempt(used);
    } catch (err) {
      if (!(err instanceof Error) || !isUnlinkMissing(err)) throw err;
      command = 'DEL';
      await attempt('DEL');
    }
  };

  const standalone = async (address: string, keys: KeyPack): Promise<void> => {
    const pipe = await pool.get(address);
    await withFallback(async (cmd) => {
      const [reply] = await pipe.sendEncoded(encodePacked(cmd, keys.data, keys.lengths), 1);
      onDeleted(address, replyInteger(reply, cmd));
    });
  };

  /** Single-key commands to one node; keys the node does not own go where it says. */
  const toNode = async (address: string, keys: Buffer[], asking: boolean, hop: number): Promise<void> => {
    const pipe = await pool.get(address);
    let missing: Error | undefined;
    const later = new Map<string, { keys: Buffer[]; asking: boolean }>();
    const retry: Buffer[] = [];
    await withFallback(async (cmd) => {
      missing = undefined;
      later.clear();
      retry.length = 0;
      const commands = asking ? keys.flatMap((k) => [['ASKING'], [cmd, k]]) : keys.map((k) => [cmd, k]);
      const replies = await pipe.send(commands);
      const step = asking ? 2 : 1;
      let n = 0;
      for (let i = 0; i < keys.length; i++) {
        const reply: Reply | undefined = replies[i * step + step - 1];
        if (!(reply instanceof Error)) {
          n += replyInteger(reply, cmd);
          continue;
        }
        const redirect = /^(MOVED|ASK) \d+ (\S+)/.exec(reply.message);
        if (redirect) {
          const kind = redirect[1] as string;
          const to = redirect[2] as string;
          const id = `${kind} ${to}`;
          const group = later.get(id) ?? { keys: [], asking: kind === 'ASK' };
          group.keys.push(keys[i] as Buffer);
          later.set(id, group);
        } else if (/^TRYAGAIN/.test(reply.message)) retry.push(keys[i] as Buffer);
        else if (isUnlinkMissing(reply)) missing = reply;
        else throw reply;
      }
      onDeleted(address, n);
      // Every key of the batch failed alike when the command is missing: re-send all as DEL.
      if (missing) throw missing;
    });
    if (later.size === 0 && retry.length === 0) return;
    if (hop >= maxHops)
      throw new Error(
        `keys kept being redirected (${[...later.keys()][0] ?? 'TRYAGAIN'}): the cluster is not settling`,
      );
    for (const [id, group] of later) {
      redirects += group.keys.length;
      await toNode(id.slice(id.indexOf(' ') + 1), group.keys, group.asking, hop + 1);
    }
    if (retry.length > 0) {
      redirects += retry.length;
      await new Promise((r) => setTimeout(r, 50));
      await toNode(address, retry, false, hop + 1);
    }
  };

  return {
    unlink: (address, keys) =>
      cluster ? toNode(address, unpackKeys(keys), false, 0) : standalone(address, keys),
    command: () => command,
    takeRedirects: () => {
      const n = redirects;
      redirects = 0;
      return n;
    },
  };
}
