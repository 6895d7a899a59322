import type { Redis } from 'ioredis';
import { scanNode } from '../redis/scan.js';

/**
 * BullMQ has no API to list queues, so we find them in the keyspace (field-notes §6):
 * `<prefix>:<name>:meta` hashes whose `version` starts with "bullmq". The base key
 * `<prefix>:<name>` is exact; how it splits into prefix and name is a best guess unless the
 * caller names the prefixes, because both may contain ':'.
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
}

export interface DiscoverOptions {
  /** Known prefixes (--prefix); when given, only queues under them are returned. */
  prefixes?: string[];
  count?: number;
}

export function splitBase(base: string, prefixes?: string[]): { prefix: string; name: string } | undefined {
  if (prefixes && prefixes.length > 0) {
    // Longest prefix first, so "myapp:jobs" wins over "myapp".
    for (const p of [...prefixes].sort((a, b) => b.length - a.length)) {
      if (base.startsWith(`${p}:`) && base.length > p.length + 1) return { prefix: p, name: base.slice(p.length + 1) };
    }
    return undefined;
  }
  // Without a hint the first segment is the prefix; a {hash tag} counts as one segment.
  const m = /^(\{[^}]*\}|[^:]*):(.+)$/.exec(base);
  return m ? { prefix: m[1] as string, name: m[2] as string } : undefined;
}

export async function discoverQueues(primaries: Redis[], opts: DiscoverOptions = {}): Promise<DiscoveredQueue[]> {
  const found: DiscoveredQueue[] = [];
  await Promise.all(
    primaries.map(async (node, index) => {
      const metaKeys: string[] = [];
      for await (const batch of scanNode(node, { match: '*:meta', type: 'hash', count: opts.count ?? 1000 })) {
        for (const key of batch) metaKeys.push(key.toString('utf8'));
      }
      const pipeline = node.pipeline();
      for (const key of metaKeys) pipeline.hget(key, 'version');
      const versions = metaKeys.length ? ((await pipeline.exec()) ?? []) : [];
      const bases = new Set<string>();
      metaKeys.forEach((key, i) => {
        const version = versions[i]?.[1];
        if (typeof version !== 'string' || !version.startsWith('bullmq')) return;
        const base = key.slice(0, -':meta'.length);
        const split = splitBase(base, opts.prefixes);
        if (!split) return;
        bases.add(base);
        found.push({ base, ...split, version, node: index });
      });
      // Queues without meta (created by old versions, or meta lost): their id counter.
      for await (const batch of scanNode(node, { match: '*:id', type: 'string', count: opts.count ?? 1000 })) {
        for (const key of batch) {
          const base = key.toString('utf8').slice(0, -':id'.length);
          if (bases.has(base)) continue;
          const split = splitBase(base, opts.prefixes);
          if (!split) continue;
          bases.add(base);
          found.push({ base, ...split, version: null, node: index });
        }
      }
    }),
  );
  return found.sort((a, b) => a.base.localeCompare(b.base));
}
