import type { Job, Queue } from 'bullmq';
import { CliError } from '../errors.js';
import type { Connection } from '../redis/connect.js';
import { withTimeout } from '../redis/timeout.js';
import type { DiscoveredQueue } from './discover.js';
import type { JobState } from './keys.js';

/**
 * Actions on single jobs, through BullMQ's own Job API (Job.fromId, job.retry, remove,
 * promote, moveToFailed): BullMQ's scripts keep the queue's invariants (parents, dedup keys,
 * events, markers). Each action has the states it applies to; a job elsewhere is refused
 * before anything is written (and BullMQ's scripts check again when they run).
 */
export const jobActions = ['retry', 'remove', 'promote', 'discard', 'move-to-failed'] as const;
export type JobActionName = (typeof jobActions)[number];

/** Where each action applies. remove: anywhere except an active job a worker holds (BullMQ refuses it). */
export const actionStates: Record<JobActionName, readonly JobState[]> = {
  retry: ['failed', 'completed'],
  promote: ['delayed'],
  // BullMQ's moveToFailed takes a job out of the active list only (moveToFinished-14.lua).
  discard: ['active'],
  'move-to-failed': ['active'],
  remove: ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'],
};

/** The states a filtered action searches when --state is not given. */
export const defaultStates: Record<JobActionName, readonly JobState[]> = {
  retry: ['failed'],
  promote: ['delayed'],
  discard: ['active'],
  'move-to-failed': ['active'],
  remove: actionStates.remove,
};

export const pastTense: Record<JobActionName, string> = {
  retry: 'retried',
  remove: 'removed',
  promote: 'promoted',
  discard: 'discarded',
  'move-to-failed': 'moved to failed',
};

/** A job as the action sees it now: its state, its lock, and what BullMQ needs to act. */
export interface JobNow {
  id: string;
  job: Job;
  state: JobState | 'unknown';
  /** Time left on the lock a worker holds (ms; -1: no expiry), null when no lock. */
  lockTtlMs: number | null;
}

/** A BullMQ Queue on our connection that never rewrites meta and skips the INFO version check. */
export async function openQueue(conn: Connection, queue: DiscoveredQueue): Promise<Queue> {
  const { Queue } = await import('bullmq');
  const q = new Queue(queue.name, {
    connection: conn.client,
    prefix: queue.prefix,
    skipMetasUpdate: true,
    skipVersionCheck: true,
  });
  q.on('error', () => undefined);
  return q;
}

/** BullMQ's state names → ours (v5's paused list counts as waiting, as in `queues`). */
function toState(s: string): JobState | 'unknown' {
  if (s === 'paused' || s === 'wait') return 'waiting';
  const known: readonly string[] = actionStates.remove;
  return known.includes(s) ? (s as JobState) : 'unknown';
}

export async function readJobNow(
  q: Queue,
  conn: Connection,
  queue: DiscoveredQueue,
  id: string,
  timeoutMs: number,
): Promise<JobNow | null> {
  const { Job } = await import('bullmq');
  const job = await withTimeout(Job.fromId(q, id), timeoutMs, `reading job ${id}`);
  if (!job) return null;
  const lockKey = `${queue.base}:${id}:lock`;
  const [state, ttl] = await withTimeout(
    Promise.all([job.getState(), conn.client.pttl(lockKey)]),
    timeoutMs,
    `reading job ${id}`,
  );
  return { id, job, state: toState(state), lockTtlMs: ttl === -2 ? null : ttl };
}

/** Why the action cannot apply to the job as it is now, or null. */
export function refusalFor(action: JobActionName, now: JobNow): string | null {
  if (now.state === 'active' && now.lockTtlMs !== null)
    return `it is active and a worker holds its lock (${now.lockTtlMs < 0 ? 'no expiry' : `${Math.ceil(now.lockTtlMs / 1000)}s left`})`;
  if (!actionStates[action].includes(now.state as JobState))
    return `it is ${now.state}, and ${action} applies to ${actionStates[action].join(' or ')} jobs`;
  return null;
}

/** Attempts left after one more failure: what moveToFailed decides (no retry when none). */
export function retriesLeft(job: Job): boolean {
  return job.attemptsMade + 1 < (job.opts.attempts ?? 1);
}

/**
 * Do it. move-to-failed is a failed attempt as a worker would report it (BullMQ retries it when
 * attempts are left, with its backoff); discard is failed for good (an UnrecoverableError: no
 * retry). The lock was checked as absent just before (token "0": BullMQ skips its lock check).
 */
export async function applyJobAction(
  action: JobActionName,
  now: JobNow,
  reason: string,
  timeoutMs: number,
): Promise<void> {
  const { UnrecoverableError } = await import('bullmq');
  const step = (p: Promise<unknown>): Promise<unknown> =>
    withTimeout(p, timeoutMs, `BullMQ ${action} of job ${now.id}`);
  const { job } = now;
  switch (action) {
    case 'retry':
      await step(job.retry(now.state as 'failed' | 'completed'));
      return;
    case 'remove':
      await step(job.remove());
      return;
    case 'promote':
      await step(job.promote());
      return;
    case 'move-to-failed':
      await step(job.moveToFailed(new Error(reason), '0'));
      return;
    case 'discard':
      await step(job.moveToFailed(new UnrecoverableError(reason), '0'));
      return;
  }
}

/**
 * BullMQ's own refusals that mean "the job moved on" (another worker, another operator): the
 * job is skipped, not the run stopped. Server refusals (READONLY, NOPERM) and lost connections
 * are not among them.
 */
export function isJobMovedOn(err: unknown): boolean {
  const m = err instanceof Error ? err.message : String(err);
  return /is not in the \w+ state|could not be removed because it is locked|Missing key for job|Missing lock for job|is locked by another worker|not in the active state/i.test(
    m,
  );
}

/** BullMQ refuses to remove the next run of a job scheduler (removeJob-2.lua returns -8). */
export const isSchedulerJob = (err: unknown): boolean =>
  /belongs to a job scheduler/i.test(err instanceof Error ? err.message : String(err));

/** Children a remove takes with it (BullMQ removes them depth first): pending, processed, failed. */
export async function countChildren(conn: Connection, queue: DiscoveredQueue, id: string): Promise<number> {
  const key = `${queue.base}:${id}`;
  const c = conn.client;
  const n = await Promise.all([
    c.scard(`${key}:dependencies`),
    c.hlen(`${key}:processed`),
    c.hlen(`${key}:failed`),
    c.zcard(`${key}:unsuccessful`),
  ]);
  return n.reduce((a, b) => a + b, 0);
}

export function unknownJob(id: string, queue: DiscoveredQueue): CliError {
  return new CliError(
    `no job ${id} in ${queue.base}`,
    'it may have been removed (removeOnComplete/removeOnFail) or never existed: find ids with queues jobs <queue>',
  );
}
