import { CancelledError, CliError, ExitCode } from '../../errors.js';
import { describeDone, planText, runAction, type RunPlan } from '../../queues/actions.js';
import { assertCanAct } from '../../queues/guard.js';
import { planClean, type CleanPlan } from '../../queues/clean-plan.js';
import type { CleanState } from '../../queues/keys.js';
import { readQueueStates, type JobCounts } from '../../queues/counts.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import type { Connection } from '../../redis/connect.js';
import type { ActionRequest, ActionResult, Snapshot } from './types.js';
import { plural } from '../../ui/format.js';

async function snapshot(conn: Connection, q: DiscoveredQueue, timeoutMs: number): Promise<Snapshot> {
  const [s] = await readQueueStates(conn, [q], timeoutMs);
  return { counts: s?.counts ?? null, paused: s?.paused ?? false };
}

const emptyCounts: JobCounts = {
  waiting: 0,
  active: 0,
  delayed: 0,
  prioritized: 0,
  'waiting-children': 0,
  completed: 0,
  failed: 0,
};

/** What retry and promote would move: finished before the plan (retry), or every delayed job. */
async function countMovable(
  conn: Connection,
  q: DiscoveredQueue,
  req: ActionRequest,
  now: number,
): Promise<number> {
  if (req.action === 'retry') return Number(await conn.client.zcount(`${q.base}:${req.state}`, 0, now));
  return Number(await conn.client.zcard(`${q.base}:delayed`));
}

function doneText(req: ActionRequest, q: DiscoveredQueue, changed: number): string {
  if (req.action === 'pause') return `paused ${q.base}`;
  if (req.action === 'resume') return `resumed ${q.base}`;
  const verb = { retry: 'retried', promote: 'promoted', clean: 'deleted' }[req.action];
  return `${verb} ${plural(changed, 'job')} in ${req.action === 'promote' ? 'delayed' : req.state} of ${q.base}`;
}

/**
 * Plan, confirm, act, verify. Nothing is written before the confirmation; without a terminal
 * --yes is required (exit 2); on a replica, where EVAL is denied, or on a Bull queue nothing
 * can be done (exit 2). The run never does more than the plan, and an interrupted run says how
 * far it got (exit 130).
 */
export async function performAction(conn: Connection, req: ActionRequest): Promise<ActionResult> {
  const { queues } = await findQueues(conn, req.prefixes);
  const queue = await assertCanAct(
    conn,
    pickQueue(queues, req.name, req.prefixes),
    req.action,
    req.timeoutMs,
  );
  const before = await snapshot(conn, queue, req.timeoutMs);
  const now = Date.now();
  let clean: CleanPlan | undefined;
  let matched: number;
  if (req.action === 'clean') {
    clean = await planClean(conn.client, queue, req.state as CleanState, now - (req.graceMs ?? 0));
    matched = clean.matched;
  } else if (req.action === 'pause') matched = before.paused ? 0 : 1;
  else if (req.action === 'resume') matched = before.paused ? 1 : 0;
  else matched = await countMovable(conn, queue, req, now);
  const plan = planText(req.action, queue, matched, before.counts ?? emptyCounts, before.paused, {
    ...req,
    clean,
  });
  const base = {
    queue,
    action: req.action,
    state: req.action === 'retry' || req.action === 'clean' ? (req.state ?? null) : null,
    matched,
    exact: clean?.exact ?? true,
    cutoff: clean ? new Date(clean.cutoff).toISOString() : null,
    before,
    plan,
  };
  if (matched === 0)
    return {
      ...base,
      dryRun: req.dryRun,
      changed: req.dryRun ? null : 0,
      after: null,
      done: plan,
      note: `nothing to do: ${plan}`,
    };
  req.announce(plan);
  if (req.dryRun) return { ...base, dryRun: true, changed: null, after: null, done: plan, note: null };
  if (!req.yes) {
    if (!req.interactive)
      throw new CliError(
        `refusing to ${req.action} without confirmation: ${req.noPrompt ?? 'no terminal to ask on'}`,
        'pass --yes to confirm, or --dry-run to preview',
      );
    if (!(await req.confirm(`${plan}?`))) throw new CancelledError('cancelled: nothing changed');
  }
  let stop = false;
  const release = req.onInterrupt?.(() => (stop = true));
  const runPlan: RunPlan = { now, matched, clean };
  let outcome;
  try {
    outcome = await runAction(
      conn,
      queue,
      req.action,
      req,
      runPlan,
      { stopped: () => stop, batchSize: req.batchSize, progress: (d) => req.progress?.(d, matched) },
      req.timeoutMs,
      () => countMovable(conn, queue, req, now),
    );
  } finally {
    release?.();
  }
  if (outcome.interrupted)
    throw new CliError(
      `interrupted: ${describeDone(req.action, outcome.changed, matched)} in ${queue.base}`,
      'run the same command again to finish',
      ExitCode.cancelled,
    );
  const after = await snapshot(conn, queue, req.timeoutMs);
  const changed = outcome.changed;
  return { ...base, dryRun: false, changed, after, done: doneText(req, queue, changed), note: null };
}
