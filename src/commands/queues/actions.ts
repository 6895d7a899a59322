import { CancelledError, CliError } from '../../errors.js';
import { probeScripting } from '../../queues/access.js';
import { countCleanable, planText, runAction } from '../../queues/actions.js';
import type { CleanState } from '../../queues/keys.js';
import { readQueueStates } from '../../queues/counts.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import type { Connection } from '../../redis/connect.js';
import type { ActionRequest, ActionResult, Snapshot } from './types.js';

async function snapshot(conn: Connection, q: DiscoveredQueue, timeoutMs: number): Promise<Snapshot> {
  const [s] = await readQueueStates(conn, [q], timeoutMs);
  return { counts: s?.counts ?? null, paused: s?.paused ?? false };
}

function countMatched(req: ActionRequest, before: Snapshot): number {
  const c = before.counts;
  if (!c) return 0;
  if (req.action === 'retry') return req.state === 'completed' ? c.completed : c.failed;
  if (req.action === 'promote') return c.delayed;
  if (req.action === 'pause') return before.paused ? 0 : 1;
  return before.paused ? 1 : 0;
}

function doneText(req: ActionRequest, q: DiscoveredQueue, changed: number): string {
  if (req.action === 'pause') return `paused ${q.base}`;
  if (req.action === 'resume') return `resumed ${q.base}`;
  const verb = { retry: 'retried', promote: 'promoted', clean: 'deleted' }[req.action];
  return `${verb} ${changed} job${changed === 1 ? '' : 's'} in ${req.action === 'promote' ? 'delayed' : req.state} of ${q.base}`;
}

/**
 * Plan, confirm, act, verify. Nothing is written before the confirmation; without a terminal
 * --yes is required (exit 2), and where EVAL is denied BullMQ cannot act at all (exit 2).
 */
export async function performAction(conn: Connection, req: ActionRequest): Promise<ActionResult> {
  const { queues } = await findQueues(conn, req.prefixes);
  const queue = pickQueue(queues, req.name, req.prefixes);
  const scripting = await probeScripting(conn.client, req.timeoutMs);
  if (!scripting.allowed) {
    throw new CliError(
      `cannot ${req.action} ${queue.base}: EVAL is denied for this user (${scripting.error})`,
      'BullMQ acts through Lua scripts: use a user with +@scripting (ACL SETUSER <user> +@scripting)',
    );
  }
  const before = await snapshot(conn, queue, req.timeoutMs);
  const now = Date.now();
  const matched =
    req.action === 'clean'
      ? await countCleanable(conn.client, queue, req.state as CleanState, now - (req.graceMs ?? 0))
      : countMatched(req, before);
  const counts = before.counts ?? {
    waiting: 0,
    active: 0,
    delayed: 0,
    prioritized: 0,
    'waiting-children': 0,
    completed: 0,
    failed: 0,
  };
  const plan = planText(req.action, queue, matched, counts, before.paused, req);
  const base = {
    queue,
    action: req.action,
    state: req.action === 'retry' || req.action === 'clean' ? (req.state ?? null) : null,
    matched,
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
        `refusing to ${req.action} without confirmation: no terminal to ask on`,
        'pass --yes to confirm, or --dry-run to preview',
      );
    if (!(await req.confirm(`${plan}?`))) throw new CancelledError('cancelled: nothing changed');
  }
  const result = await runAction(conn, queue, req.action, { ...req, now }, req.timeoutMs);
  const after = await snapshot(conn, queue, req.timeoutMs);
  let changed = result ?? 0;
  if (result === null && before.counts && after.counts) {
    const key = req.action === 'promote' ? 'delayed' : (req.state as 'failed' | 'completed');
    changed = Math.max(before.counts[key] - after.counts[key], 0);
  }
  return { ...base, dryRun: false, changed, after, done: doneText(req, queue, changed), note: null };
}
