import { CancelledError, CliError } from '../../errors.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import { assertCanAct, writeError } from '../../queues/guard.js';
import {
  applyJobAction,
  countChildren,
  isJobMovedOn,
  isSchedulerJob,
  openQueue,
  readJobNow,
  refusalFor,
  retriesLeft,
  unknownJob,
  type JobNow,
} from '../../queues/job-actions.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import type { Connection } from '../../redis/connect.js';
import type { JobActionGuards, JobActionResult } from './types.js';

/**
 * `queues job <queue> <id> retry|remove|promote|discard|move-to-failed`: read the job, refuse
 * what cannot apply (wrong state, a worker's lock) before writing, show the plan, ask (or
 * --yes), check the job did not move while the person read, act through BullMQ, read it again.
 */
export interface JobActionRequest extends JobActionGuards {
  id: string;
  target: string;
}

const when = (ms: number): string => new Date(ms).toISOString();

export function describeJob(now: JobNow): string {
  const lock = now.state === 'active' ? (now.lockTtlMs === null ? ', no lock' : ', locked') : '';
  return `job ${now.id} (${now.job.name}, ${now.state}${lock})`;
}

export function jobPlanText(req: JobActionGuards, queue: DiscoveredQueue, now: JobNow, children = 0): string {
  const { job } = now;
  const attempts = `${job.attemptsMade} of ${Math.max(job.opts.attempts ?? 1, 1)} attempts made`;
  const what = `${describeJob(now)} of ${queue.base}`;
  switch (req.action) {
    case 'retry':
      return `retry ${what}: back to wait (${attempts})`;
    case 'promote':
      return `promote ${what}: delayed until ${when(job.timestamp + job.delay)}, moved to wait now`;
    case 'remove':
      return `remove ${what} with its logs${children ? ` and its ${children} child job${children === 1 ? '' : 's'} (and theirs)` : ''}${job.parentKey ? '; its parent stops waiting for it' : ''}`;
    case 'move-to-failed':
      return retriesLeft(job)
        ? `fail one attempt of ${what} with reason "${req.reason}": ${attempts}, so BullMQ retries it (wait or delayed, per its backoff)`
        : `move ${what} to failed with reason "${req.reason}" (${attempts}: none left)`;
    case 'discard':
      return `discard ${what}: failed for good with reason "${req.reason}", no retry (${attempts})`;
  }
}

/** Without --yes: ask on a terminal, refuse elsewhere (exit 2); a "no" cancels (exit 130). */
export async function confirmPlan(req: JobActionGuards, plan: string): Promise<void> {
  if (req.yes) return;
  if (!req.interactive)
    throw new CliError(
      `refusing to ${req.action} without confirmation: ${req.noPrompt ?? 'no terminal to ask on'}`,
      'pass --yes to confirm, or --dry-run to preview',
    );
  if (!(await req.confirm(`${plan}?`))) throw new CancelledError('cancelled: nothing changed');
}

export async function performJobAction(conn: Connection, req: JobActionRequest): Promise<JobActionResult> {
  const { queues } = await findQueues(conn, req.prefixes);
  const queue = await assertCanAct(
    conn,
    pickQueue(queues, req.name, req.prefixes),
    req.action,
    req.timeoutMs,
  );
  const q = await openQueue(conn, queue);
  try {
    const now = await readJobNow(q, conn, queue, req.id, req.timeoutMs);
    if (!now) throw unknownJob(req.id, queue);
    const refusal = refusalFor(req.action, now);
    if (refusal)
      throw new CliError(
        `cannot ${req.action} job ${req.id} of ${queue.base}: ${refusal}; nothing changed`,
        now.lockTtlMs !== null && now.state === 'active'
          ? 'a worker is processing it: wait for it to finish, or stop that worker (its lock then expires and the job shows as active without a lock)'
          : `see it with: redis-ops queues job ${queue.name} ${req.id}`,
      );
    const children = req.action === 'remove' ? await countChildren(conn, queue, req.id) : 0;
    const plan = jobPlanText(req, queue, now, children);
    const reason = req.action === 'discard' || req.action === 'move-to-failed' ? req.reason : null;
    const base = {
      target: req.target,
      queue,
      id: req.id,
      action: req.action,
      stateBefore: now.state,
      reason,
      plan,
    };
    req.announce(plan);
    if (req.dryRun) return { ...base, dryRun: true, stateAfter: null, done: plan };
    await confirmPlan(req, plan);
    // The person may have taken a while: act only on the job as it was shown.
    const again = await readJobNow(q, conn, queue, req.id, req.timeoutMs);
    const moved = !again
      ? 'it is gone'
      : again.state !== now.state || (again.lockTtlMs === null) !== (now.lockTtlMs === null)
        ? `it is now ${describeJob(again)}`
        : null;
    if (moved || !again)
      throw new CliError(
        `job ${req.id} of ${queue.base} changed since the preview (${moved}); nothing changed`,
        'run the command again to see the new plan',
      );
    try {
      await applyJobAction(req.action, again, req.reason, req.timeoutMs);
    } catch (err) {
      if (isSchedulerJob(err))
        throw new CliError(
          `cannot remove job ${req.id} of ${queue.base}: it is the next run of a job scheduler, which BullMQ does not remove on its own; nothing changed`,
          'remove the job scheduler instead (BullMQ: queue.removeJobScheduler(<id>))',
        );
      // BullMQ's script checks the state again: a job that moved in the last milliseconds is refused there.
      if (isJobMovedOn(err))
        throw new CliError(
          `job ${req.id} of ${queue.base} changed while acting (${(err as Error).message.split('\n')[0]}); nothing changed`,
          'run the command again to see the new plan',
        );
      throw writeError(err, `${req.action} job ${req.id} of ${queue.base}`, queue, '; nothing changed');
    }
    const after = await readJobNow(q, conn, queue, req.id, req.timeoutMs);
    const stateAfter = after ? after.state : 'gone';
    const verb = {
      retry: 'retried',
      remove: 'removed',
      promote: 'promoted',
      discard: 'discarded',
      'move-to-failed': 'failed',
    }[req.action];
    const done = `${verb} job ${req.id} of ${queue.base}: ${now.state} → ${stateAfter}`;
    return { ...base, dryRun: false, stateAfter, done };
  } finally {
    await q.close().catch(() => undefined);
  }
}
