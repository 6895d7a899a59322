import type { Cluster, Redis } from 'ioredis';
import { scalarText } from '../text.js';
import { isMarker, queueKey, type JobState, type QueueKeySuffix } from './keys.js';

/**
 * The details of one queue for `queues show`, read with plain commands (no Lua, nothing
 * written): meta, next delayed run, failure reasons, throughput from the events stream,
 * job schedulers, and a bounded list of jobs.
 */
type Client = Redis | Cluster;

export interface QueueMeta {
  concurrency: number | null;
  rateLimit: { max: number; durationMs: number } | null;
  maxLenEvents: number | null;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface MinuteStats {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  completed: number;
  failed: number;
}

export interface JobSummary {
  id: string;
  name: string | null;
  timestamp: number | null;
  processedOn: number | null;
  finishedOn: number | null;
  attemptsMade: number;
  failedReason: string | null;
}

const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

export function parseMeta(h: Record<string, string>): QueueMeta {
  const max = num(h.max);
  const duration = num(h.duration);
  return {
    concurrency: num(h.concurrency),
    rateLimit: max !== null && duration !== null ? { max, durationMs: duration } : null,
    maxLenEvents: num(h['opts.maxLenEvents']),
  };
}

export async function readMeta(client: Client, base: string): Promise<QueueMeta> {
  return parseMeta(await client.hgetall(queueKey(base, 'meta')));
}

/** Delayed scores are runAt * 4096 + a counter (BullMQ's src/commands/includes/getDelayedScore.lua). */
export async function readNextDelayedAt(client: Client, base: string): Promise<number | null> {
  const reply = (await client.call('ZRANGE', `${base}:delayed`, '0', '0', 'WITHSCORES')) as unknown[];
  // RESP2 gives [member, score]; RESP3 gives [[member, score]].
  const score = num(reply.flat()[1]);
  return score === null ? null : Math.floor(score / 4096);
}

export function groupReasons(reasons: Array<string | null>, top = 10): ReasonCount[] {
  const counts = new Map<string, number>();
  for (const r of reasons) {
    const key = r === null || r === '' ? '(no reason)' : (r.split('\n')[0] as string);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, top);
}

/** Failure reasons over the most recent `limit` failed jobs (failed is a zset scored by finishedOn). */
export async function readFailedReasons(
  client: Client,
  base: string,
  limit: number,
): Promise<{ sampled: number; reasons: ReasonCount[] }> {
  const ids = await client.zrevrange(`${base}:failed`, 0, limit - 1);
  if (ids.length === 0) return { sampled: 0, reasons: [] };
  const p = client.pipeline();
  for (const id of ids) p.hget(`${base}:${id}`, 'failedReason');
  const replies = (await p.exec()) ?? [];
  return {
    sampled: ids.length,
    reasons: groupReasons(
      replies.map(([err, v]) => (err || v === null || v === undefined ? null : scalarText(v))),
    ),
  };
}

/** Completed and failed events per minute over the last `minutes`, oldest first (stream ids are ms). */
export function bucketEvents(
  entries: Array<[string, unknown[]]>,
  now: number,
  minutes: number,
): MinuteStats[] {
  const start = Math.floor(now / 60_000) * 60_000 - (minutes - 1) * 60_000;
  const buckets = Array.from({ length: minutes }, (_, i): MinuteStats => ({
    minute: start + i * 60_000,
    completed: 0,
    failed: 0,
  }));
  for (const [id, fields] of entries) {
    const ms = Number(id.split('-')[0]);
    const b = buckets[Math.floor((ms - start) / 60_000)];
    if (!b) continue;
    const flat = fields.map(String);
    const event = flat[flat.indexOf('event') + 1];
    if (event === 'completed') b.completed++;
    else if (event === 'failed') b.failed++;
  }
  return buckets;
}

export async function readJobSchedulers(client: Client, base: string): Promise<number> {
  return Number(await client.zcard(queueKey(base, 'repeat')));
}

async function jobIds(client: Client, base: string, state: JobState, limit: number): Promise<string[]> {
  const k = (s: QueueKeySuffix): string => queueKey(base, s);
  if (state === 'active') return client.lrange(k('active'), 0, limit - 1);
  // delayed (score = run time) and prioritized (score = priority, then order): next to run first.
  if (state === 'delayed' || state === 'prioritized') return client.zrange(k(state), '0', String(limit - 1));
  // completed/failed (score = finishedOn), waiting-children (score = added): newest first.
  if (state !== 'waiting') return client.zrevrange(k(state), 0, limit - 1);
  // Lists grow at the head (LPUSH): index 0 is the newest. v5 kept paused jobs in their own list.
  const wait = await client.lrange(k('wait'), 0, limit - 1);
  const paused = wait.length < limit ? await client.lrange(k('paused'), 0, limit - 1 - wait.length) : [];
  return [...wait, ...paused].filter((id) => !isMarker(id));
}

const jobFields = [
  'name',
  'timestamp',
  'processedOn',
  'finishedOn',
  'atm',
  'attemptsMade',
  'failedReason',
] as const;

/** The order `--jobs` lists each state in (README, --help). */
export const jobOrder: Record<JobState, string> = {
  waiting: 'newest first (workers take from the other end)',
  active: 'most recently started first',
  delayed: 'next to run first (by run time)',
  prioritized: 'next to run first (by priority)',
  'waiting-children': 'newest first',
  completed: 'most recently finished first',
  failed: 'most recently failed first',
};

/** Jobs in one state, in the order of `jobOrder`, at most `limit`. */
export async function readJobs(
  client: Client,
  base: string,
  state: JobState,
  limit: number,
): Promise<JobSummary[]> {
  const ids = await jobIds(client, base, state, limit);
  if (ids.length === 0) return [];
  const p = client.pipeline();
  for (const id of ids) p.hmget(`${base}:${id}`, ...jobFields);
  const replies = (await p.exec()) ?? [];
  return ids.map((id, i) => {
    const v = (replies[i]?.[1] ?? []) as Array<string | null>;
    return {
      id,
      name: v[0] ?? null,
      timestamp: num(v[1]),
      processedOn: num(v[2]),
      finishedOn: num(v[3]),
      attemptsMade: num(v[5]) ?? num(v[4]) ?? 0,
      failedReason: v[6] ?? null,
    };
  });
}
