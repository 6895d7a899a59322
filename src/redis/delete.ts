import type { Redis } from 'ioredis';
import { packKeys, unpackKeys, type KeyPack, type KeyStore } from './key-store.js';
import { encodePacked, RespPipe, type Reply } from './resp-pipe.js';
import { scanNode } from './scan.js';
import { defaultTimeoutMs } from './timeout.js';

/**
 * The deleting pass of `flush`, on every primary in parallel: UNLINK the names the counting
 * pass kept, then, if it could not keep them all, SCAN again and UNLINK as it goes (the next
 * SCAN is in flight while a batch is deleted). Several UNLINK batches are in flight per node
 * so the server never waits for the client, and each is small, so it never blocks for long.
 * On a cluster a variadic UNLINK fails with CROSSSLOT even on one node (field-notes §7), so
 * the keys go as pipelined single-key UNLINKs to the node that holds them.
 */
export interface DeleteOptions {
  cluster: boolean;
  /** For the second SCAN when the counting pass could not keep every name. */
  patterns: Buffer[];
  count: number;
  type?: string;
  /** Keys per UNLINK (standalone) or per pipeline (cluster). */
  batchSize: number;
  /** Batches in flight per node. */
  inFlight: number;
  /** Keys per second over all nodes; undefined: as fast as the server goes. */
  rate?: number;
  signal?: AbortSignal;
  onDeleted?: (node: number, deleted: number) => void;
  /** Bound for each network step (connect, a reply). */
  timeoutMs?: number;
}

export interface NodeDeletion {
  deleted: number;
  error: Error | null;
}

export async function deleteKeys(
  primaries: Redis[],
  stores: KeyStore[],
  opts: DeleteOptions,
): Promise<NodeDeletion[]> {
  const failed = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
  const pace = createPacer(opts.rate, signal);
  // With a rate, small chunks (a tenth of a second's worth) keep the pace smooth.
  const chunkSize = opts.rate
    ? Math.max(1, Math.min(opts.batchSize, Math.floor(opts.rate / 10)))
    : opts.batchSize;
  const inFlight = opts.rate ? 1 : opts.inFlight;

  return Promise.all(
    primaries.map(async (node, index) => {
      const result: NodeDeletion = { deleted: 0, error: null };
      // A raw pipe per node (see resp-pipe.ts): batches go out as pre-encoded bytes.
      let pipe: RespPipe;
      try {
        pipe = await RespPipe.openLike(node, opts.timeoutMs ?? defaultTimeoutMs);
      } catch (err) {
        result.error = err instanceof Error ? err : new Error(String(err));
        failed.abort();
        return result;
      }
      const unlink = createUnlinker(pipe, opts.cluster);
      const window = new Set<Promise<void>>();
      const send = async (keys: KeyPack): Promise<void> => {
        await pace(keys.lengths.length);
        if (signal.aborted) return;
        const p: Promise<void> = unlink(keys).then(
          (n) => {
            result.deleted += n;
            opts.onDeleted?.(index, n);
          },
          (err: unknown) => {
            result.error ??= err instanceof Error ? err : new Error(String(err));
            failed.abort(); // a node is gone: every node stops after its batches in flight
          },
        );
        window.add(p);
        void p.finally(() => window.delete(p));
        if (window.size >= inFlight) await Promise.race(window);
      };

      const store = stores[index] as KeyStore;
      for (const keys of store.packs(chunkSize)) {
        if (signal.aborted) break;
        await send(keys);
      }
      if (!store.complete) {
        for (const match of opts.patterns) {
          if (signal.aborted) break;
          try {
            for await (const batch of scanNode(pipe, { match, count: opts.count, type: opts.type, signal })) {
              for (let i = 0; i < batch.length && !signal.aborted; i += chunkSize)
                await send(packKeys(batch.slice(i, i + chunkSize)));
              if (signal.aborted) break;
            }
          } catch (err) {
            result.error ??= err instanceof Error ? err : new Error(String(err));
            failed.abort();
          }
        }
      }
      await Promise.all(window);
      pipe.close();
      return result;
    }),
  );
}

/** UNLINK where it exists, DEL on servers older than 4.0 (the first "unknown command" switches). */
function createUnlinker(pipe: RespPipe, cluster: boolean): (keys: KeyPack) => Promise<number> {
  let command = 'UNLINK';
  const count = (replies: Reply[]): number => {
    let n = 0;
    for (const reply of replies) {
      if (reply instanceof Error) throw reply;
      n += Number(reply);
    }
    return n;
  };
  const once = async (keys: KeyPack): Promise<number> => {
    if (!cluster) return count(await pipe.sendEncoded(encodePacked(command, keys.data, keys.lengths), 1));
    return count(await pipe.send(unpackKeys(keys).map((key) => [command, key])));
  };
  return async (keys) => {
    try {
      return await once(keys);
    } catch (err) {
      if (command === 'UNLINK' && err instanceof Error && /unknown command/i.test(err.message)) {
        command = 'DEL';
        return once(keys);
      }
      throw err;
    }
  };
}

/** Spread deletions evenly: the k-th batch waits until the keys before it fit the rate. */
export function createPacer(rate: number | undefined, signal?: AbortSignal): (keys: number) => Promise<void> {
  if (!rate) return () => Promise.resolve();
  const start = performance.now();
  let reserved = 0;
  return async (keys) => {
    const due = start + (reserved / rate) * 1000;
    reserved += keys;
    await sleep(due - performance.now(), signal);
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
