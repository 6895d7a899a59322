import type { Redis } from 'ioredis';
import { escapeGlob, scanNode } from '../redis/scan.js';
import { isBullmqVersion, isQueueByIdAndTypes, queueKey, stateKeys } from './keys.js';
import { splitBases, type SplitSource } from './split.js';

/**
 * BullMQ has no API to list queues, so we find them in the keyspace: `<prefix>:<name>:meta`
 * hashes whose `version` starts with "bullmq", plus `<base>:id` counters of queues without meta
 * (old Bull, or meta lost) once their state keys confirm them (the rules live in keys.ts).
 * The base `<prefix>:<name>` is exact; how it splits is decided in split.ts.
 */
export interface DiscoveredQueue {
  /** `<prefix>:<name>`: every key of the queue starts with this plus ':'. */
  base: string;
  prefix: string;
  name: string;
  /** meta.version, e.g. "bullmq:6.7.0"; null for a queue found by its id key only. */
  version: string | null;
  /** Index of the primary the queue lives on. */
  node: number;
  /** How prefix and name were told apart: --prefix, a worker's client name, BullMQ's naming rule, or a guess. */
  split: SplitSource;
}

export interface DiscoverOptions {
  /** Known prefixes (--prefix); when given, only queues under them are returned. */
  prefixes?: string[];
  count?: number;
  /** Client names seen in CLIENT LIST (workers name their connections `<prefix>:<base64(name)>`). */
  clientNames?: string[];
}

function matchFor(suffix: string, prefixes?: string[]): string | Buffer {
  // One prefix: a narrower MATCH sends fewer names back (the server's cost per pass is the same).
  if (prefixes?.length === 1)
    return Buffer.concat([escapeGlob(`${prefixes[0]}:`), Buffer.from(`*:${suffix}`)]);
  return `*:${suffix}`;
}

async function scanKeys(node: Redis, suffix: string, type: string, opts: DiscoverOptions): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of scanNode(node, {
    match: matchFor(suffix, opts.prefixes),
    type,
    count: opts.count ?? 1000,
  })) {
    for (const key of batch) keys.push(key.toString('utf8'));
  }
  return keys;
}

/** Bases with a meta hash written by BullMQ, and their versions. */
async function findByMeta(node: Redis, opts: DiscoverOptions): Promise<Map<string, string>> {
  const metaKeys = await scanKeys(node, 'meta', 'hash', opts);
  const found = new Map<string, string>();
  if (metaKeys.length === 0) return found;
  const pipeline = node.pipeline();
  for (const key of metaKeys) pipeline.hget(key, 'version');
  const versions = (await pipeline.exec()) ?? [];
  metaKeys.forEach((key, i) => {
    const version = versions[i]?.[1];
    if (isBullmqVersion(version)) found.set(key.slice(0, -':meta'.length), version);
  });
  return found;
}

/**
 * `*:id` matches any counter named "id" (`user:42:id`, `session:id`), so a base counts as a
 * queue only when its id holds an integer and one of its state keys exists with BullMQ's type.
 */
async function findByIdKey(node: Redis, idKeys: string[], known: Set<string>): Promise<string[]> {
  const bases = idKeys.map((k) => k.slice(0, -':id'.length)).filter((b) => !known.has(b));
  if (bases.length === 0) return [];
  const pipeline = node.pipeline();
  for (const base of bases) {
    pipeline.get(queueKey(base, 'id'));
    for (const [suffix] of stateKeys) pipeline.type(queueKey(base, suffix));
  }
  const replies = (await pipeline.exec()) ?? [];
  const per = stateKeys.length + 1;
  return bases.filter((_, i) => {
    // On a cluster a key of an untagged base may live on another node: that reply is an error, not a match.
    const types = stateKeys.map((_, j) => replies[i * per + 1 + j]?.[1]);
    return isQueueByIdAndTypes(replies[i * per]?.[1], types);
  });
}

export async function discoverQueues(
  primaries: Redis[],
  opts: DiscoverOptions = {},
): Promise<DiscoveredQueue[]> {
  const perNode = await Promise.all(
    primaries.map(async (node, index) => {
      // Both passes at once: their round trips overlap.
      const [byMeta, idKeys] = await Promise.all([
        findByMeta(node, opts),
        scanKeys(node, 'id', 'string', opts),
      ]);
      const byId = await findByIdKey(node, idKeys, new Set(byMeta.keys()));
      const rows: Array<{ base: string; version: string | null; node: number }> = [];
      for (const [base, version] of byMeta) rows.push({ base, version, node: index });
      for (const base of byId) rows.push({ base, version: null, node: index });
      return rows;
    }),
  );
  const rows = perNode.flat();
  const splits = splitBases(rows, { prefixes: opts.prefixes, clientNames: opts.clientNames });
  const found: DiscoveredQueue[] = [];
  rows.forEach((row, i) => {
    const split = splits[i];
    if (split) found.push({ ...row, ...split });
  });
  return found.sort((a, b) => a.base.localeCompare(b.base));
}
