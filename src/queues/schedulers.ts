import type { Cluster, Redis } from 'ioredis';
import { queueKey } from './keys.js';

/**
 * Job schedulers and repeatable jobs, read without writing. They share `<q>:repeat`, a zset
 * whose score is the next run (ms), and `<q>:repeat:<id>` hashes:
 *  - a job scheduler (BullMQ ≥ 5.16, upsertJobScheduler) has `ic` (iterations) in its hash
 *    (BullMQ 6's JobScheduler.isJobScheduler relies on the same field);
 *  - a legacy repeatable (the `repeat` option of BullMQ < 5.16) has a hash without `ic`
 *    (member = a hash of its options), or, older still, no hash and a member shaped
 *    `name:id:endDate:tz:pattern|every`;
 *  - anything else is broken: BullMQ's getJobSchedulers() deletes such members when it reads
 *    them, which is why we read the keys ourselves.
 * Bounded: ZRANGE of the first `limit` members (next run first) and one HGETALL each.
 */
type Client = Redis | Cluster;

export type SchedulerKind = 'scheduler' | 'legacy' | 'broken';

export interface SchedulerEntry {
  id: string;
  kind: SchedulerKind;
  /** Next run (ms), the zset score. */
  next: number | null;
  name: string | null;
  pattern: string | null;
  every: number | null;
  tz: string | null;
  iterations: number | null;
  limit: number | null;
  startDate: number | null;
  endDate: number | null;
  offset: number | null;
  data: unknown;
  opts: unknown;
  /** The legacy member in the old key shape (no hash): BullMQ 6 cannot remove its next job. */
  keyShaped: boolean;
}

const num = (v: string | undefined): number | null => {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

function json(v: string | undefined): unknown {
  if (v === undefined) return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/**
 * `name:id:endDate:tz:pattern` (pattern has spaces) or `...:every` (digits), as BullMQ 6's
 * hasLegacyRepeatableKeyShape tells them; and Bull 4's `name:id:endDate:every`.
 */
export function parseLegacyKey(key: string): {
  name: string;
  endDate: number | null;
  tz: string | null;
  pattern: string | null;
  every: number | null;
} | null {
  const parts = key.split(':');
  // Bull 4 writes `name:id:endDate:every` for an interval (no tz field).
  if (parts.length === 4 && /^\d+$/.test(parts[3] ?? '') && /^\d*$/.test(parts[2] ?? ''))
    return { name: parts[0] ?? '', endDate: num(parts[2]), tz: null, pattern: null, every: Number(parts[3]) };
  if (parts.length < 5) return null;
  const [name = '', , endDate = '', tz = ''] = parts;
  const rest = parts.slice(4).join(':');
  if (endDate !== '' && !/^\d+$/.test(endDate)) return null;
  if (rest === '') return null;
  const isEvery = /^\d+$/.test(rest);
  if (!isEvery && !rest.includes(' ')) return null;
  return {
    name,
    endDate: num(endDate),
    tz: tz || null,
    pattern: isEvery ? null : rest,
    every: isEvery ? Number(rest) : null,
  };
}

export function toEntry(id: string, next: number | null, h: Record<string, string>): SchedulerEntry {
  const base = {
    id,
    next,
    iterations: null,
    limit: null,
    startDate: null,
    offset: null,
    data: null,
    opts: null,
    keyShaped: false,
  };
  if (Object.keys(h).length === 0) {
    const legacy = parseLegacyKey(id);
    if (legacy) return { ...base, kind: 'legacy', keyShaped: true, ...legacy };
    return { ...base, kind: 'broken', name: null, pattern: null, every: null, tz: null, endDate: null };
  }
  return {
    ...base,
    kind: h.ic !== undefined ? 'scheduler' : 'legacy',
    name: h.name ?? null,
    pattern: h.pattern || null,
    every: num(h.every),
    tz: h.tz || null,
    iterations: num(h.ic),
    limit: num(h.limit),
    startDate: num(h.startDate),
    endDate: num(h.endDate),
    offset: num(h.offset),
    data: json(h.data),
    opts: json(h.opts),
  };
}

/** `[member, score, ...]` (RESP2) or `[[member, score], ...]` (RESP3) → pairs. */
function pairs(reply: unknown[]): Array<[string, number]> {
  const flat: unknown[] = reply.flat();
  const out: Array<[string, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), Number(flat[i + 1])]);
  return out;
}

export async function readSchedulers(
  client: Client,
  base: string,
  limit: number,
): Promise<{ total: number; entries: SchedulerEntry[] }> {
  const key = queueKey(base, 'repeat');
  const [total, reply] = await Promise.all([
    client.zcard(key),
    client.call('ZRANGE', key, '0', String(limit - 1), 'WITHSCORES') as Promise<unknown[]>,
  ]);
  const members = pairs(reply);
  if (members.length === 0) return { total, entries: [] };
  const p = client.pipeline();
  for (const [id] of members) p.hgetall(`${key}:${id}`);
  const hashes = (await p.exec()) ?? [];
  return {
    total,
    entries: members.map(([id, score], i) => {
      const [err, h] = hashes[i] ?? [null, {}];
      return toEntry(
        id,
        Number.isFinite(score) ? score : null,
        err ? {} : ((h ?? {}) as Record<string, string>),
      );
    }),
  };
}

/** One scheduler by id: its score and hash (null when `<q>:repeat` does not hold it). */
export async function readScheduler(
  client: Client,
  base: string,
  id: string,
): Promise<SchedulerEntry | null> {
  const key = queueKey(base, 'repeat');
  const [score, h] = await Promise.all([client.zscore(key, id), client.hgetall(`${key}:${id}`)]);
  if (score === null) return null;
  return toEntry(id, Number(score), h);
}
