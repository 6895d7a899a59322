import type { Redis, Cluster } from 'ioredis';
import { CliError } from '../errors.js';
import type { Connection } from '../redis/connect.js';
import { withTimeout } from '../redis/timeout.js';
import type { JobCounts } from './counts.js';
import type { DiscoveredQueue } from './discover.js';
import { jobKey, queueKey, type CleanState, type QueueKeySuffix, type RetryState } from './keys.js';

/**
 * What each action touches, counted before asking, and the action itself through BullMQ's own
 * API (its Lua keeps the queue's invariants). The Queue object never rewrites meta
 * (skipMetasUpdate) and skips the INFO version check.
 */
export type ActionName = 'retry' | 'promote' | 'clean' | 'pause' | 'resume';

export interface ActionOptions {
  state?: CleanState | RetryState;
  graceMs?: number;
  now?: number;
}

/** Which job-hash fields BullMQ's clean compares with the cutoff, per state (cleanJobsInSet-3.lua). */
const cleanFields: Record<Exclude<CleanState, 'completed' | 'failed'>, string[]> = {
  waiting: ['finishedOn', 'processedOn', 'timestamp'],
  delayed: ['processedOn', 'timestamp'],
  prioritized: ['timestamp'],
};

/** How many jobs `clean` would delete: exact for completed/failed, an upper bound elsewhere (locked or scheduler jobs are kept). */
export async function countCleanable(
  client: Redis | Cluster,
  queue: DiscoveredQueue,
  state: CleanState,
  cutoff: number,
): Promise<number> {
  const k = (s: QueueKeySuffix): string => queueKey(queue.base, s);
  if (state === 'completed' || state === 'failed')
    return Number(await client.zcount(k(state), '-inf', String(cutoff)));
  const ids =
    state === 'waiting' ? await client.lrange(k('wait'), 0, -1) : await client.zrange(k(state), '0', '-1');
  if (ids.length === 0) return 0;
  const fields = cleanFields[state];
  const p = client.pipeline();
  for (const id of ids) p.hmget(jobKey(queue.base, id), ...fields);
  const replies = (await p.exec()) ?? [];
  return replies.filter(([err, values]) => {
    if (err) return false;
    const ts = (values as Array<string | null>).find((v) => v !== null && v !== undefined);
    return ts === undefined || Number(ts) <= cutoff;
  }).length;
}

export function planText(
  action: ActionName,
  queue: DiscoveredQueue,
  matched: number,
  counts: JobCounts,
  paused: boolean,
  opts: ActionOptions,
): string {
  const jobs = (n: number): string => `${n} job${n === 1 ? '' : 's'}`;
  switch (action) {
    case 'retry':
      return `retry ${jobs(matched)} in ${opts.state} of ${queue.base} (moved back to wait)`;
    case 'promote':
      return `promote ${jobs(matched)} in delayed of ${queue.base} (moved to wait now)`;
    case 'clean':
      return `delete ${matched === 0 ? 'no' : `up to ${jobs(matched)}`} in ${opts.state} of ${queue.base} older than ${Math.round((opts.graceMs ?? 0) / 1000)}s`;
    case 'pause':
      return paused
        ? `${queue.base} is already paused`
        : `pause ${queue.base} (${jobs(counts.waiting + counts.prioritized)} waiting stay until resume; ${counts.active} active finish)`;
    case 'resume':
      return paused
        ? `resume ${queue.base} (${jobs(counts.waiting + counts.prioritized)} waiting)`
        : `${queue.base} is not paused`;
  }
}

/** Run the action with BullMQ; returns how many jobs it moved or deleted (pause/resume: 1 or 0). */
export async function runAction(
  conn: Connection,
  queue: DiscoveredQueue,
  action: ActionName,
  opts: ActionOptions,
  timeoutMs: number,
): Promise<number | null> {
  if (queue.name.includes(':')) {
    throw new CliError(
      `BullMQ 6 cannot open queue "${queue.name}": its name contains ':'`,
      'act on it with the BullMQ version that created it',
    );
  }
  // Lazy: bullmq is heavy and only actions need it.
  const { Queue } = await import('bullmq');
  const q = new Queue(queue.name, {
    connection: conn.client,
    prefix: queue.prefix,
    skipMetasUpdate: true,
    skipVersionCheck: true,
  });
  q.on('error', () => undefined);
  try {
    await withTimeout(q.waitUntilReady(), timeoutMs, 'BullMQ connection');
    switch (action) {
      case 'retry':
        await q.retryJobs({
          state: opts.state as RetryState,
          count: 1000,
          timestamp: opts.now ?? Date.now(),
        });
        return null;
      case 'promote':
        await q.promoteJobs({ count: 1000 });
        return null;
      case 'clean':
        return (await q.clean(opts.graceMs ?? 0, 0, opts.state)).length;
      case 'pause':
        await q.pause();
        return 1;
      case 'resume':
        await q.resume();
        return 1;
    }
  } finally {
    // The connection is ours (shared): BullMQ leaves it open.
    await q.close().catch(() => undefined);
  }
}
