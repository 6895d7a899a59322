import type { Cluster, Redis } from 'ioredis';
import type { DiscoveredQueue } from './discover.js';
import { jobKey, queueKey, type CleanState, type QueueKeySuffix } from './keys.js';

/**
 * How many jobs `clean` would delete, read with bounded commands: ZCOUNT by score where the
 * set is ordered by the time clean compares (completed/failed by finishedOn), and windows of
 * at most `window` ids (LRANGE / ZRANGE by index) plus one HMGET per id elsewhere, up to
 * `budget` jobs. Past the budget the rest of the set counts as "may match": the figure is then
 * an upper bound and says so.
 */

export interface CleanPlan {
  /** Jobs whose time field is at or before this (ms since the epoch) are deleted. Fixed at planning. */
  cutoff: number;
  /** Jobs to delete: exact, or an upper bound when `exact` is false. */
  matched: number;
  exact: boolean;
  /** Jobs whose hash was read (0 for ZCOUNT plans). */
  examined: number;
  /** Jobs in the state. */
  total: number;
}

/** Which job-hash fields BullMQ's clean compares with the cutoff, first present wins (cleanJobsInSet-3.lua). */
const cleanFields: Record<Exclude<CleanState, 'completed' | 'failed'>, string[]> = {
  waiting: ['finishedOn', 'processedOn', 'timestamp'],
  delayed: ['processedOn', 'timestamp'],
  prioritized: ['timestamp'],
};

type Client = Redis | Cluster;

export interface CleanPlanOptions {
  budget?: number;
  window?: number;
}

async function idWindow(
  client: Client,
  queue: DiscoveredQueue,
  state: CleanState,
  from: number,
  size: number,
): Promise<string[]> {
  // The wait list's tail is its oldest end (FIFO jobs are LPUSHed): read from there, as clean does.
  if (state === 'waiting') return client.lrange(queueKey(queue.base, 'wait'), -from - size, -from - 1);
  return client.zrange(queueKey(queue.base, state), String(from), String(from + size - 1));
}

export async function planClean(
  client: Client,
  queue: DiscoveredQueue,
  state: CleanState,
  cutoff: number,
  opts: CleanPlanOptions = {},
): Promise<CleanPlan> {
  const k = (s: QueueKeySuffix): string => queueKey(queue.base, s);
  if (state === 'completed' || state === 'failed') {
    const [matched, total] = await Promise.all([
      client.zcount(k(state), '-inf', String(cutoff)),
      client.zcard(k(state)),
    ]);
    return { cutoff, matched: Number(matched), exact: true, examined: 0, total: Number(total) };
  }
  const budget = opts.budget ?? 10_000;
  const window = opts.window ?? 1000;
  const total = Number(state === 'waiting' ? await client.llen(k('wait')) : await client.zcard(k(state)));
  const fields = cleanFields[state];
  let examined = 0;
  let matched = 0;
  while (examined < Math.min(total, budget)) {
    const ids = await idWindow(client, queue, state, examined, Math.min(window, budget - examined));
    if (ids.length === 0) break;
    const p = client.pipeline();
    for (const id of ids) p.hmget(jobKey(queue.base, id), ...fields);
    const replies = (await p.exec()) ?? [];
    for (const [err, values] of replies) {
      if (err) continue;
      const ts = (values as Array<string | null>).find((v) => v !== null && v !== undefined);
      if (ts === undefined || Number(ts) <= cutoff) matched++;
    }
    examined += ids.length;
  }
  const rest = Math.max(total - examined, 0);
  return { cutoff, matched: matched + rest, exact: rest === 0, examined, total };
}
