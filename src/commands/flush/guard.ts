import {
  isBullmqVersion,
  isJobIdCounter,
  isQueueByIdAndTypes,
  isQueueByIdKey,
  stateKeys,
} from '../../queues/keys.js';
import type { AnyClient } from '../../redis/connect.js';
import type { RespPipe } from '../../redis/resp-pipe.js';
import { displayKey } from '../../redis/scan.js';
import type { Redis } from 'ioredis';
import { basesAbovePrefix, coversQueue } from './plan.js';

/**
 * The BullMQ guard: `flush` must not delete a queue's keys unless told to. A queue is what
 * discoverQueues calls one: a `<base>:meta` hash whose version starts with "bullmq", or a
 * `<base>:id` string. Every key of a queue starts with `<base>:`, so a literal prefix P reaches
 * a queue in exactly two ways:
 *  - from above (P is a prefix of `<base>:`): then `<base>:meta` / `<base>:id` match P too, and
 *    the counting pass has already seen them: we classify those candidates, no extra SCAN;
 *  - from below (`<base>:` is a prefix of P): then base is P cut at one of its ':' and a
 *    few point lookups find it.
 * A raw --pattern or a --type filter defeats that reasoning, so those run full discovery.
 * (isQueueCandidate, in queues/keys.ts, picks the `:meta` / `:id` keys out of the counting pass.)
 */

/**
 * Bases of the queues among one SCAN batch's candidates, in bulk on the node that returned them:
 * one pipeline of HGET meta version / GET id + EXISTS of the state keys (two commands per
 * candidate, whatever the count: 1M `cache:u:N:id` counters cost 2M pipelined commands, not
 * 11M awaited ones), then TYPE only for the few ids that have state keys beside them. Nothing
 * outlives the batch, so memory stays bounded.
 * On a cluster a base without a {hash tag} cannot be a working queue (BullMQ and Bull need
 * the tag, or their scripts fail CROSSSLOT), and its state keys would sit on other nodes.
 */
export async function classifyCandidates(
  pipe: RespPipe,
  keys: Buffer[],
  cluster: boolean,
): Promise<string[]> {
  const found: string[] = [];
  const commands: Array<Array<string | Buffer>> = [];
  const ids: Buffer[] = [];
  const metas: Buffer[] = [];
  const suffix = (base: Buffer, s: string): Buffer => Buffer.concat([base, Buffer.from(`:${s}`)]);
  for (const key of keys) {
    if (key.subarray(-5).toString('latin1') === ':meta') metas.push(key);
    else if (!cluster || hasHashTag(key.subarray(0, -3))) ids.push(key.subarray(0, -3));
  }
  for (const key of metas) commands.push(['HGET', key, 'version']);
  for (const base of ids)
    commands.push(['GET', suffix(base, 'id')], ['EXISTS', ...stateKeys.map(([s]) => suffix(base, s))]);
  if (commands.length === 0) return found;
  const replies = await pipe.send(commands);
  metas.forEach((key, i) => {
    const version = replies[i];
    // WRONGTYPE (not a hash) and other errors: not a queue's meta.
    if (version instanceof Buffer && isBullmqVersion(version.toString('latin1')))
      found.push(displayKey(key.subarray(0, -5)));
  });
  const confirm: Array<{ base: Buffer; id: string }> = [];
  ids.forEach((base, j) => {
    const id = replies[metas.length + 2 * j];
    const exists = replies[metas.length + 2 * j + 1];
    const text = id instanceof Buffer ? id.toString('latin1') : null;
    if (isJobIdCounter(text) && typeof exists === 'number' && exists > 0)
      confirm.push({ base, id: text as string });
  });
  if (confirm.length === 0) return found;
  const types = await pipe.send(
    confirm.flatMap(({ base }) => stateKeys.map(([s]) => ['TYPE', suffix(base, s)])),
  );
  const n = stateKeys.length;
  confirm.forEach(({ base, id }, j) => {
    // The rule in queues/keys.ts: an integer id and one state key of BullMQ's type.
    if (isQueueByIdAndTypes(id, types.slice(j * n, j * n + n))) found.push(displayKey(base));
  });
  return found;
}

/** A non-empty {tag}: the bytes between the first '{' and the first '}' after it. */
export function hasHashTag(key: Buffer): boolean {
  const open = key.indexOf(0x7b);
  if (open < 0) return false;
  const close = key.indexOf(0x7d, open + 1);
  return close > open + 1;
}

/** Bases of the queues among keys ending in :meta or :id (a few keys: one lookup each). */
async function queuesFromCandidates(client: AnyClient, candidates: Buffer[]): Promise<string[]> {
  const bases = new Set<string>();
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500);
    const found = await Promise.all(chunk.map((key) => classify(client, key)));
    for (const base of found) if (base !== null) bases.add(base);
  }
  return [...bases].sort();
}

async function classify(client: AnyClient, key: Buffer): Promise<string | null> {
  const isMeta = key.subarray(-5).toString('latin1') === ':meta';
  const base = key.subarray(0, key.length - (isMeta ? 5 : 3));
  if (isMeta) {
    // HGET on a key that is not a hash is WRONGTYPE: then it is not a queue's meta.
    const version = await client
      .hget(key, 'version')
      .catch((err: Error) => (/WRONGTYPE/.test(err.message) ? null : Promise.reject(err)));
    return isBullmqVersion(version) ? displayKey(base) : null;
  }
  // Any counter may be called "id" (user:42:id): it takes a BullMQ state key beside it too.
  return (await client.type(key)) === 'string' && (await isQueueByIdKey(client, base))
    ? displayKey(base)
    : null;
}

/** Queues that contain a literal prefix (`bull:q:completed` lies inside queue `bull:q`). */
export async function queuesAbovePrefixes(client: AnyClient, prefixes: Buffer[]): Promise<string[]> {
  const keys: Buffer[] = [];
  for (const p of prefixes) {
    for (const base of basesAbovePrefix(p))
      keys.push(Buffer.concat([base, Buffer.from(':meta')]), Buffer.concat([base, Buffer.from(':id')]));
  }
  const exists = await Promise.all(keys.map((k) => client.exists(k)));
  return queuesFromCandidates(
    client,
    keys.filter((_, i) => exists[i] === 1),
  );
}

/** Full discovery (two SCAN passes), then the glob decides: for --pattern and --type. */
export async function queuesByDiscovery(
  primaries: Redis[],
  patterns: Buffer[],
  count: number,
): Promise<string[]> {
  const { discoverQueues } = await import('../../queues/discover.js');
  const queues = await discoverQueues(primaries, { count });
  return [...new Set(queues.filter((q) => coversQueue(patterns, q.base)).map((q) => q.base))].sort();
}

/**
 * The guard while streaming (deleting as we scan, nothing counted first): a queue may be met
 * after deletions began, so every key is checked before it is deleted. A key K under prefix P
 * lies in queue B exactly when `B:` is a prefix of K; the bases up to P were looked up before
 * the run (queuesAbovePrefixes), so only the cuts of K at a ':' past P remain. Each distinct
 * cut costs one pipelined `EXISTS <base>:meta <base>:id` (remembered, in bounded memory), and
 * only a base that has one gets the full classification. Keys of a queue are kept, never
 * deleted, and reported: the run goes on with the rest.
 */
export interface QueueScreen {
  /** The keys of a batch that lie in no queue (the others are counted as kept). */
  screen: (pipe: RespPipe, keys: Buffer[]) => Promise<Buffer[]>;
  /** Queue bases met, for the report. */
  queues: () => string[];
  kept: () => number;
}

/** Verdicts remembered: plenty for real namespaces, bounded for 1M distinct `cache:u:N` bases. */
const maxVerdicts = 100_000;

/** keep false (--include-queues): every key goes, the queues met are only named in the report. */
export function createQueueScreen(
  prefixes: Buffer[],
  cluster: boolean,
  keep = true,
  client?: AnyClient,
): QueueScreen {
  const verdicts = new Map<string, boolean>();
  const met = new Set<string>();
  let kept = 0;

  const basesOf = (key: Buffer): Buffer[] => {
    const prefix = prefixes.find((p) => key.length >= p.length && key.subarray(0, p.length).equals(p));
    const bases: Buffer[] = [];
    for (let i = key.indexOf(0x3a, prefix?.length ?? 0); i >= 0; i = key.indexOf(0x3a, i + 1)) {
      const base = key.subarray(0, i);
      // On a cluster a base without a {tag} cannot be a working queue (see classifyCandidates).
      if (!cluster || hasHashTag(base)) bases.push(base);
    }
    return bases;
  };

  const decide = async (pipe: RespPipe, bases: Buffer[]): Promise<void> => {
    const suffix = (base: Buffer, s: string): Buffer => Buffer.concat([base, Buffer.from(`:${s}`)]);
    const replies = await pipe.send(bases.map((b) => ['EXISTS', suffix(b, 'meta'), suffix(b, 'id')]));
    const suspects: Buffer[] = [];
    const redirected: Buffer[] = [];
    bases.forEach((b, i) => {
      const r = replies[i];
      if (typeof r === 'number' && r === 0) verdicts.set(b.toString('latin1'), false);
      else if (r instanceof Error && client) redirected.push(b);
      else suspects.push(b);
    });
    // A slot moving under a reshard (MOVED/ASK): ask through the client, which follows them.
    if (redirected.length > 0 && client) {
      const found = new Set(
        await queuesFromCandidates(
          client,
          redirected.flatMap((b) => [suffix(b, 'meta'), suffix(b, 'id')]),
        ),
      );
      for (const b of redirected) verdicts.set(b.toString('latin1'), found.has(displayKey(b)));
    }
    if (suspects.length === 0) return;
    const found = new Set(
      await classifyCandidates(
        pipe,
        suspects.flatMap((b) => [suffix(b, 'meta'), suffix(b, 'id')]),
        cluster,
      ),
    );
    for (const b of suspects) verdicts.set(b.toString('latin1'), found.has(displayKey(b)));
  };

  return {
    screen: async (pipe, keys) => {
      const perKey = keys.map(basesOf);
      const unknown = new Map<string, Buffer>();
      for (const bases of perKey)
        for (const b of bases) {
          const id = b.toString('latin1');
          if (!verdicts.has(id)) unknown.set(id, b);
        }
      if (unknown.size > 0) {
        if (verdicts.size + unknown.size > maxVerdicts) verdicts.clear();
        await decide(pipe, [...unknown.values()]);
      }
      const clear: Buffer[] = [];
      keys.forEach((key, i) => {
        const queue = (perKey[i] as Buffer[]).find((b) => verdicts.get(b.toString('latin1')) === true);
        if (queue !== undefined) met.add(displayKey(queue));
        if (queue === undefined || !keep) clear.push(key);
        else kept++;
      });
      return clear;
    },
    queues: () => [...met].sort(),
    kept: () => kept,
  };
}
