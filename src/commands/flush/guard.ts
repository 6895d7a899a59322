import { isBullmqVersion, isQueueByIdKey } from '../../queues/keys.js';
import type { AnyClient } from '../../redis/connect.js';
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

/** Bases of the queues among keys ending in :meta or :id. */
export async function queuesFromCandidates(client: AnyClient, candidates: Buffer[]): Promise<string[]> {
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
export async function queuesAbovePrefixes(client: AnyClient, prefixes: string[]): Promise<string[]> {
  const keys: Buffer[] = [];
  for (const p of prefixes) {
    for (const base of basesAbovePrefix(p)) keys.push(Buffer.from(`${base}:meta`), Buffer.from(`${base}:id`));
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
