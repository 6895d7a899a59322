import { CancelledError, CliError, ExitCode } from '../../errors.js';
import { readQueueStates, type JobCounts } from '../../queues/counts.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import { assertCanAct, writeError } from '../../queues/guard.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import { workersOf } from '../../queues/workers.js';
import { goneStates, readHeld, runWipe } from '../../queues/wipe.js';
import type { Connection } from '../../redis/connect.js';
import type { WipeRequest, WipeResult } from './types.js';

/**
 * `queues drain` and `queues obliterate`: stronger guards than the other actions. On a terminal
 * the person types the queue's name; without one `--yes --force` are both needed; while workers
 * hold active jobs it refuses unless --force. The plan counts what goes by state; the result
 * counts what went (counts just before the run minus counts after it).
 */
const jobs = (n: number): string => `${n.toLocaleString('en-US')} job${n === 1 ? '' : 's'}`;
const sum = (c: Partial<JobCounts>): number => Object.values(c).reduce((a, b) => a + (b ?? 0), 0);
const byState = (c: Partial<JobCounts>): string =>
  Object.entries(c)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([s, n]) => `${(n ?? 0).toLocaleString('en-US')} ${s}`)
    .join(', ') || 'no jobs';

async function countsOf(conn: Connection, queue: DiscoveredQueue, timeoutMs: number): Promise<JobCounts> {
  const [state] = await readQueueStates(conn, [queue], timeoutMs);
  if (!state?.counts)
    throw new CliError(
      `cannot count the jobs of ${queue.base}: ${state?.error ?? 'unreadable'}; nothing changed`,
      'check the queue with: redis-ops queues show <queue>',
    );
  return state.counts;
}

const pick = (c: JobCounts, states: Array<keyof JobCounts>): Partial<JobCounts> =>
  Object.fromEntries(states.map((s) => [s, c[s]]));

export function wipePlanText(req: WipeRequest, queue: DiscoveredQueue, toGo: Partial<JobCounts>): string {
  if (req.action === 'obliterate')
    return `obliterate ${queue.base}: delete ${jobs(sum(toGo))} (${byState(toGo)}) and its schedulers, events, metrics and meta; the queue is gone`;
  const kept = req.delayed
    ? 'active, completed, failed and waiting-children'
    : 'active, delayed, completed, failed and waiting-children';
  return `drain ${queue.base}: delete ${jobs(sum(toGo))} (${byState(toGo)}); ${kept} jobs stay, and so does each job scheduler's next run`;
}

async function confirmTyped(req: WipeRequest, queue: DiscoveredQueue): Promise<void> {
  if (req.yes && req.force) return;
  if (!req.interactive)
    throw new CliError(
      `refusing to ${req.action} ${queue.base} without confirmation: ${req.noPrompt ?? 'no terminal to type the queue name on'}`,
      'pass --yes --force to confirm without a terminal, or --dry-run to preview',
    );
  const answer = (await req.ask(`Type the queue name "${queue.name}" to ${req.action} it:`)).trim();
  if (answer !== queue.name && answer !== queue.base)
    throw new CancelledError(`cancelled: "${answer}" is not ${queue.name}; nothing changed`);
}

export async function performWipe(conn: Connection, req: WipeRequest): Promise<WipeResult> {
  const { queues, clients } = await findQueues(conn, req.prefixes);
  const queue = await assertCanAct(
    conn,
    pickQueue(queues, req.name, req.prefixes),
    req.action,
    req.timeoutMs,
  );
  const before = await countsOf(conn, queue, req.timeoutMs);
  const held = await readHeld(conn, queue, req.timeoutMs);
  const workers = workersOf(clients, queue.prefix, queue.name)?.length ?? null;
  const toGo = pick(before, goneStates(req.action, req.delayed));
  const plan = wipePlanText(req, queue, toGo);
  if (!req.force && held.locked > 0)
    throw new CliError(
      `refusing to ${req.action} ${queue.base}: workers hold ${jobs(held.locked)} in active (a lock is set${held.sampled ? `, among the first 1,000 of ${held.active.toLocaleString('en-US')}` : ''}); nothing changed`,
      'stop the workers (or wait for their jobs to finish), or pass --force',
    );
  if (!req.force && req.action === 'obliterate' && held.active > 0)
    throw new CliError(
      `refusing to obliterate ${queue.base}: ${jobs(held.active)} in active (no worker holds them); BullMQ refuses to obliterate a queue with active jobs; nothing changed`,
      'pass --force to delete them too',
    );
  const base = {
    target: req.target,
    queue,
    action: req.action,
    delayed: req.delayed,
    force: req.force,
    workers,
    held,
    before,
    toGo,
    plan,
  };
  req.announce(plan);
  if (req.dryRun) return { ...base, dryRun: true, went: null, after: null };
  await confirmTyped(req, queue);

  // What went is counted from just before the run: jobs added while the person typed go too (drain takes the whole state).
  const start = await countsOf(conn, queue, req.timeoutMs);
  let stop = false;
  let batches = 0;
  const release = req.onInterrupt?.(() => (stop = true));
  let finished: boolean;
  try {
    finished = await runWipe(
      conn,
      queue,
      req.action,
      { delayed: req.delayed, force: req.force, timeoutMs: req.timeoutMs },
      {
        stopped: () => stop,
        progress: (n) => {
          batches = n;
          req.progress?.(n);
        },
      },
    );
  } catch (err) {
    const so =
      req.action === 'obliterate' && batches > 0
        ? `; ${batches} batch${batches === 1 ? '' : 'es'} of up to 1,000 jobs deleted and the queue is paused, run again to finish`
        : req.action === 'obliterate'
          ? '; the queue may be paused now, nothing deleted'
          : '; nothing changed';
    throw writeError(err, `${req.action} ${queue.base}`, queue, so);
  } finally {
    release?.();
  }
  const after = await countsOf(conn, queue, req.timeoutMs);
  const states = goneStates(req.action, req.delayed);
  const went = Object.fromEntries(
    states.map((s) => [s, Math.max(start[s] - after[s], 0)]),
  ) as Partial<JobCounts>;
  if (!finished)
    throw new CliError(
      `interrupted: obliterate of ${queue.base} deleted ${jobs(sum(went))} of ${jobs(sum(start))} (${byState(went)}); the queue is paused`,
      'run the same command again to finish',
      ExitCode.cancelled,
    );
  return { ...base, dryRun: false, went, after };
}
