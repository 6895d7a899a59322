import type { Redis } from 'ioredis';
import { errorText } from '../redis/hints.js';
import { displayKey, scanNode } from '../redis/scan.js';
import { redact } from '../redis/secrets.js';
import { withTimeout } from '../redis/timeout.js';
import type { Facts, KeyspaceTtl, KeyTtlFacts, TtlNamespace } from './facts.js';
import { parseInfoFields, type InfoRecord } from '../redis/info.js';
import { pass, skip, warn, type CheckResult } from './types.js';
import { formatCount } from '../ui/format.js';

/**
 * keys.ttl: TTL hygiene. INFO keyspace first (`keys`, `expires`, `avg_ttl`: no lookup): when no
 * key or every key has a TTL, that answers it. Only a mix needs names, from a bounded sample:
 * the first `budget` keys SCAN returns (split over the primaries), then one pipelined PTTL
 * per key. The cost is the same on 10k keys as on 10M. Every command that reads a key's TTL
 * counts as a keyspace hit or miss on Redis 7.0 (measured: PTTL, TTL, EXPIRETIME, OBJECT, TYPE,
 * EXISTS; MEMORY USAGE and DEBUG OBJECT do not, and neither says the TTL), so the sample's
 * lookups are counted and reported; doctor's verdicts read INFO before them. Two signatures:
 * - most keys of a namespace have a TTL but some do not: the lost EXPIRE of an
 *   "INCR then EXPIRE" that died between the two (warn, with the share);
 * - a cache namespace where no sampled key has a TTL ("always set a TTL for cached keys").
 */
export const keyTtlBudget = 1000;
const maxPages = 5;
/** Fewer sampled keys than this in a namespace say nothing about it. */
const minKeys = 10;

/** `db<N>:keys=..,expires=..,avg_ttl=..` of every primary, summed; null when no node has the line. */
export function keyspaceTtl(nodes: InfoRecord[], db: number): KeyspaceTtl | null {
  let seen = false;
  const out: KeyspaceTtl = { keys: 0, expires: 0, avgTtlMs: 0 };
  let weighted = 0;
  for (const info of nodes) {
    const line = info[`db${db}`];
    if (line === undefined) continue;
    seen = true;
    const f = parseInfoFields(line);
    const expires = Number(f.expires ?? 0) || 0;
    out.keys += Number(f.keys ?? 0) || 0;
    out.expires += expires;
    weighted += (Number(f.avg_ttl ?? 0) || 0) * expires;
  }
  if (!seen) return nodes.some((n) => Object.keys(n).length > 0) ? out : null;
  out.avgTtlMs = out.expires ? Math.round(weighted / out.expires) : 0;
  return out;
}

/** A mix of keys with and without a TTL: only then do names (and lookups) tell more. */
export const needsSample = (k: KeyspaceTtl | null): boolean =>
  k === null || (k.expires > 0 && k.expires < k.keys);

export async function sampleKeyTtls(
  primaries: Redis[],
  ms: number,
  keyspace: KeyspaceTtl | null,
  budget = keyTtlBudget,
): Promise<KeyTtlFacts> {
  if (!needsSample(keyspace)) return { keyspace, sampled: 0, namespaces: [], lookups: 0, unavailable: null };
  const per = Math.max(1, Math.ceil(budget / Math.max(1, primaries.length)));
  const tally = new Map<string, TtlNamespace>();
  let sampled = 0;
  let lookups = 0;
  try {
    for (const node of primaries) {
      const keys: Buffer[] = [];
      // A few SCAN pages at most, even on a sparse table: never a full SCAN.
      let pages = 0;
      for await (const batch of scanNode(node, { count: per })) {
        keys.push(...batch.slice(0, per - keys.length));
        if (keys.length >= per || ++pages >= maxPages) break;
      }
      if (keys.length === 0) continue;
      const pipe = node.pipeline();
      for (const k of keys) pipe.pttl(k);
      const replies = (await withTimeout(pipe.exec(), ms, 'PTTL')) ?? [];
      lookups += replies.filter((r) => !r[0]).length; // a hit, or a miss for a key gone since SCAN
      keys.forEach((key, i) => {
        const ttl = replies[i]?.[1];
        if (typeof ttl !== 'number' || ttl === -2) return;
        sampled++;
        // The namespace as `stats --keys` shows it at its default depth: up to the first ':'.
        const prefix = displayKey(key.subarray(0, key.indexOf(0x3a) + 1));
        const ns = tally.get(prefix) ?? { prefix, keys: 0, noTtl: 0 };
        ns.keys++;
        if (ttl === -1) ns.noTtl++;
        tally.set(prefix, ns);
      });
    }
  } catch (err) {
    return {
      keyspace,
      sampled,
      namespaces: [],
      lookups,
      unavailable: `could not sample keys: ${redact(errorText(err))}`,
    };
  }
  return { keyspace, sampled, namespaces: [...tally.values()], lookups, unavailable: null };
}

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(n * 1000 < d ? 1 : 0)}%`;

export function checkKeysTtl(facts: Facts): CheckResult {
  const id = 'keys.ttl';
  const t = facts.keyTtl;
  if (!t) return skip(id, 'keys were not sampled');
  if (t.unavailable) return skip(id, t.unavailable);
  if (facts.use === 'queue') return skip(id, 'queue use: queue keys live without a TTL by design');
  const ks = t.keyspace;
  const n = (x: number): string => x.toLocaleString('en-US');
  if (ks && !needsSample(ks)) {
    if (ks.keys < minKeys) return pass(id, `${n(ks.keys)} keys: too few to judge TTLs (INFO keyspace)`);
    if (ks.expires === ks.keys)
      return pass(
        id,
        `every key has a TTL: ${n(ks.keys)} keys, average TTL ${Math.round(ks.avgTtlMs / 1000)} s (INFO keyspace; no key read)`,
      );
    // No key has a TTL: a cache that only evictions empty; with queues beside it (both) that is theirs.
    if (facts.use === 'both' || (facts.queues ?? []).length > 0)
      return pass(
        id,
        `no key has a TTL (${n(ks.keys)} keys, INFO keyspace): BullMQ's keys have none by design, and no cache key sets one`,
      );
    return warn(
      id,
      `no key has a TTL: 0 of ${n(ks.keys)} keys expire (INFO keyspace; no key read)`,
      'always set a TTL for cached keys (SET ... EX); redis-ops stats --hits shows the writes without one',
    );
  }
  const own = t.lookups
    ? ` (doctor's ${n(t.lookups)} PTTLs count as keyspace lookups; its verdicts read INFO before them)`
    : '';
  // BullMQ's keys have no TTL on purpose: leave the queues' prefixes out.
  const queuePrefixes = new Set((facts.queues ?? []).map((q) => `${q.prefix}:`));
  const judged = t.namespaces.filter((n) => n.keys >= minKeys && !queuePrefixes.has(n.prefix));
  const show = (n: TtlNamespace): string => (n.prefix === '' ? '(no prefix)' : n.prefix);
  const lost = judged
    .filter((n) => n.noTtl > 0 && n.noTtl * 2 < n.keys)
    .sort((a, b) => b.noTtl / b.keys - a.noTtl / a.keys);
  const never = judged.filter((n) => n.noTtl === n.keys);
  const parts: string[] = [];
  if (lost.length > 0)
    parts.push(
      lost
        .slice(0, 3)
        .map(
          (n) =>
            `${show(n)} has ${pct(n.noTtl, n.keys)} of its keys without a TTL (${n.noTtl} of ${n.keys} sampled)`,
        )
        .join('; '),
    );
  if (never.length > 0)
    parts.push(
      `no key has a TTL in ${never
        .slice(0, 3)
        .map((n) => `${show(n)} (${n.keys} sampled)`)
        .join(', ')}${never.length > 3 ? ` and ${never.length - 3} more` : ''}`,
    );
  if (parts.length > 0) {
    const hint =
      lost.length > 0
        ? 'a lost EXPIRE: set the TTL in the same command (SET ... EX, or INCR + EXPIRE in MULTI / a script); redis-ops stats --hits shows the writes'
        : 'always set a TTL for cached keys (SET ... EX); redis-ops stats --hits shows the writes without one';
    return warn(id, `${parts.join('; ')}${own}`, hint);
  }
  return pass(
    id,
    `${formatCount(t.sampled)} keys sampled in ${t.namespaces.length} namespaces: TTLs consistent${own}`,
  );
}
