import { CliError } from '../errors.js';
import type { Connection } from '../redis/connect.js';
import { withTimeout } from '../redis/timeout.js';
import type { CleanPlan } from './clean-plan.js';
import type { JobCounts } from './counts.js';
import type { DiscoveredQueue } from './discover.js';
import type { CleanState, RetryState } from './keys.js';
import { formatCount, plural } from '../ui/format.js';

/**
 * What each action touches, counted before asking, and the action itself through BullMQ's own
 * scripts (its Lua keeps the queue's invariants), in batches so that an interrupted run knows
 * what it did and a run never does more than the plan: clean gets the absolute cutoff fixed at
 * planning time and a limit of the planned count; retry only jobs finished before the plan;
 * promote at most the planned number. The Queue object never rewrites meta (skipMetasUpdate)
 * and skips the INFO version check.
 */
export type ActionName = 'retry' | 'promote' | 'clean' | 'pause' | 'resume';

export interface ActionOptions {
  state?: CleanState | RetryState;
  graceMs?: number;
}

export interface RunPlan {
  /** Planning time: retry touches only jobs finished at or before it. */
  now: number;
  /** Jobs the person confirmed (the upper limit of what is done). */
  matched: number;
  clean?: CleanPlan;
}

export interface RunControl {
  /** Asked between batches: true stops the run (Ctrl-C). */
  stopped: () => boolean;
  /** Jobs done so far, after each batch. */
  progress?: (done: number) => void;
  batchSize?: number;
}

export interface RunOutcome {
  changed: number;
  /** True when the run stopped before the plan was done (interrupted). */
  interrupted: boolean;
}

const jobs = (n: number): string => plural(n, 'job');

export function planText(
  action: ActionName,
  queue: DiscoveredQueue,
  matched: number,
  counts: JobCounts,
  paused: boolean,
  opts: ActionOptions & { clean?: CleanPlan },
): string {
  switch (action) {
    case 'retry':
      return `retry ${jobs(matched)} in ${opts.state} of ${queue.base} (moved back to wait)`;
    case 'promote':
      return `promote ${jobs(matched)} in delayed of ${queue.base} (moved to wait now)`;
    case 'clean': {
      const c = opts.clean;
      const cutoff = c ? new Date(c.cutoff).toISOString() : '?';
      const bound =
        c && !c.exact
          ? ` (an upper bound: read the oldest ${formatCount(c.examined)} of ${formatCount(c.total)}; the rest counted as matching)`
          : '';
      // "delete no in completed" read badly: say there is nothing, in words.
      return matched === 0
        ? `no jobs in ${opts.state} of ${queue.base} are older than ${Math.round((opts.graceMs ?? 0) / 1000)}s (before ${cutoff})`
        : `delete up to ${jobs(matched)} in ${opts.state} of ${queue.base} older than ${Math.round((opts.graceMs ?? 0) / 1000)}s (before ${cutoff})${bound}`;
    }
    case 'pause':
      return paused
        ? `${queue.base} is already paused`
        : `pause ${queue.base} (${jobs(counts.waiting + counts.prioritized)} waiting stay until resume; ${formatCount(counts.active)} active finish)`;
    case 'resume':
      return paused
        ? `resume ${queue.base} (${jobs(counts.waiting + counts.prioritized)} waiting)`
        : `${queue.base} is not paused`;
  }
}

/**
 * Queues BullMQ must not act on: the old `bull` package's queues (no BullMQ meta version; its
 * pause is a `meta-paused` key BullMQ ignores, and BullMQ's scripts would add `meta`, `marker`
 * and `events` keys to them), and names with ':' that BullMQ 6 refuses to open.
 */
export function refuseAction(action: string, queue: DiscoveredQueue): CliError | null {
  if (queue.problem)
    return new CliError(
      `cannot ${action} ${queue.base}: ${queue.problem}`,
      queue.problem.startsWith('keys spread')
        ? 'give the queue a prefix with a {hash tag} (new Queue(name, { prefix: "{myapp}" })) and move its jobs'
        : "use a user that may read and write the queue's keys",
    );
  if (queue.version === null)
    return new CliError(
      `cannot ${action} ${queue.base}: it has no BullMQ meta version, so it is a queue of the old "bull" package (or its meta is lost); BullMQ's scripts would not stop Bull workers and would write BullMQ-only keys (meta, marker, events) into it`,
      'act on it with bull itself (queue.pause(), queue.clean(grace, status), job.retry()); redis-ops shows it read-only',
    );
  if (queue.name.includes(':'))
    return new CliError(
      `cannot ${action} ${queue.base}: BullMQ 6 refuses to open queue names with ':' ("${queue.name}")`,
      'act on it with the BullMQ version that created it',
    );
  return null;
}

interface Backend {
  cleanJobsByState(state: string, timestamp: number, limit: number): Promise<string[]>;
  retryFinishedJobs(state: string, count: number, timestamp: number): Promise<number>;
  promoteJobs(count: number): Promise<number>;
}

/** Run the action with BullMQ, batch by batch; returns how many jobs it moved or deleted. */
export async function runAction(
  conn: Connection,
  queue: DiscoveredQueue,
  action: ActionName,
  opts: ActionOptions,
  plan: RunPlan,
  control: RunControl,
  timeoutMs: number,
  countLeft: () => Promise<number>,
): Promise<RunOutcome> {
  const refusal = refuseAction(action, queue);
  if (refusal) throw refusal;
  // Lazy: bullmq is heavy and only actions need it.
  const { Queue } = await import('bullmq');
  const q = new Queue(queue.name, {
    connection: conn.client,
    prefix: queue.prefix,
    skipMetasUpdate: true,
    skipVersionCheck: true,
  });
  q.on('error', () => undefined);
  const backend = q.backend as unknown as Backend;
  const batch = control.batchSize ?? 1000;
  let done = 0;
  let inFlight = 0;
  const step = <T>(p: Promise<T>): Promise<T> => withTimeout(p, timeoutMs, `BullMQ ${action}`);
  try {
    await step(q.waitUntilReady());
    if (action === 'pause' || action === 'resume') {
      await step(action === 'pause' ? q.pause() : q.resume());
      return { changed: 1, interrupted: false };
    }
    const start = await countLeft();
    while (done < plan.matched) {
      if (control.stopped()) return { changed: done, interrupted: true };
      const n = Math.min(batch, plan.matched - done);
      inFlight = n;
      let moved: number;
      if (action === 'clean') {
        const state = opts.state === 'waiting' ? 'wait' : (opts.state as string);
        moved = (await step(backend.cleanJobsByState(state, plan.clean?.cutoff ?? plan.now, n))).length;
      } else {
        // These scripts move at most n per call and answer only "more left": count what moved.
        const before = done === 0 ? start : await countLeft();
        if (action === 'retry') await step(backend.retryFinishedJobs(opts.state as string, n, plan.now));
        else await step(backend.promoteJobs(n));
        moved = Math.max(before - (await countLeft()), 0);
      }
      done += moved;
      inFlight = 0;
      control.progress?.(done);
      if (moved === 0) break;
    }
    return { changed: done, interrupted: false };
  } catch (err) {
    throw actionError(err, action, queue, done, plan.matched, inFlight);
  } finally {
    // The connection is ours (shared): BullMQ leaves it open.
    await q.close().catch(() => undefined);
  }
}

/** A server's refusal or a lost connection mid-run: one line with the cause and what was done. */
export function actionError(
  err: unknown,
  action: ActionName,
  queue: DiscoveredQueue,
  done: number,
  matched: number,
  inFlight = 0,
): CliError {
  if (err instanceof CliError && done === 0) return err;
  const message = err instanceof Error ? err.message : String(err);
  // A call sent before the server froze may still run when it wakes: say so rather than guess.
  const maybe =
    inFlight > 0 && /timed out|closed|ECONNRESET/i.test(message)
      ? ` (a batch of up to ${inFlight} more was in flight)`
      : '';
  const so =
    done > 0 || maybe
      ? `; ${describeDone(action, done, matched)}${maybe}, run again to finish`
      : '; nothing changed';
  if (/READONLY/.test(message))
    return new CliError(
      `cannot ${action} ${queue.base}: the server is a read-only replica (READONLY)${so}`,
      'connect to the primary (the writable endpoint)',
    );
  if (/NOPERM|user executing the script can't run this command/.test(message))
    return new CliError(
      `cannot ${action} ${queue.base}: this user may not write the queue's keys (NOPERM)${so}`,
      `grant write access to the queue's keys (ACL SETUSER <user> ~${queue.prefix}:* +@write) or use another user`,
    );
  const first = (message.split('\n')[0] ?? message).replace(/^ERR (Error running script[^:]*: )?/, '');
  return new CliError(
    `${action} of ${queue.base} stopped: ${first}${so}`,
    'check that the server is up and reachable (redis-ops doctor), then run the same command again',
  );
}

export function describeDone(action: ActionName, done: number, matched: number): string {
  const verb = {
    retry: 'retried',
    promote: 'promoted',
    clean: 'deleted',
    pause: 'paused',
    resume: 'resumed',
  }[action];
  return `${verb} ${formatCount(done)} of ${jobs(matched)}`;
}
