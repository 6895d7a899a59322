import { CliError, ExitCode } from '../../errors.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import { assertCanAct, writeError } from '../../queues/guard.js';
import {
  applyJobAction,
  isJobMovedOn,
  isSchedulerJob,
  openQueue,
  pastTense,
  readJobNow,
  refusalFor,
} from '../../queues/job-actions.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import { searchJobs, type JobFilter } from '../../queues/search.js';
import type { Connection } from '../../redis/connect.js';
import { confirmPlan } from './job-action.js';
import type { JobActionGuards, JobsActionResult, SkippedJob } from './types.js';

/**
 * `queues jobs <queue> <filters> retry|remove|promote|discard|move-to-failed`: the search
 * (bounded by --scan-limit) fixes the list of ids; the preview shows every one; the run acts
 * on those ids only, one at a time through BullMQ. A job that arrives after the preview is not
 * in the list; a job that left the state it was listed in is skipped and counted.
 */
export interface JobsActionRequest extends JobActionGuards {
  target: string;
  filter: JobFilter;
  /** Words for the filter in the plan ("failed reason contains ECONNRESET"). */
  filterText: string;
}

const jobs = (n: number): string => `${n.toLocaleString('en-US')} job${n === 1 ? '' : 's'}`;

/** "3-9, 12, 15-18": numeric ids in order with runs folded, then the others as they are. */
export function compactIds(given: string[]): string {
  const isNum = (id: string): boolean => /^\d{1,15}$/.test(id);
  const ids = [
    ...given.filter(isNum).sort((a, b) => Number(a) - Number(b)),
    ...given.filter((id) => !isNum(id)),
  ];
  const out: string[] = [];
  let start: number | null = null;
  let prev: number | null = null;
  const flush = (): void => {
    if (start === null || prev === null) return;
    out.push(start === prev ? String(start) : prev === start + 1 ? `${start}, ${prev}` : `${start}-${prev}`);
    start = prev = null;
  };
  for (const id of ids) {
    const n = /^\d+$/.test(id) ? Number(id) : NaN;
    if (Number.isSafeInteger(n) && prev !== null && n === prev + 1) {
      prev = n;
      continue;
    }
    flush();
    if (Number.isSafeInteger(n)) start = prev = n;
    else out.push(id);
  }
  flush();
  return out.join(', ');
}

/** The preview: how many, which ids (folded; cut past `maxChars` with a pointer to the full list). */
export function jobsPlanText(
  req: JobsActionRequest,
  queue: DiscoveredQueue,
  planned: Array<{ id: string }>,
  search: { examined: number; budgetHit: boolean; limitHit: boolean },
  maxChars = 2000,
): string {
  const verb = req.action === 'move-to-failed' ? 'move to failed' : req.action;
  const why =
    req.action === 'discard' || req.action === 'move-to-failed' ? ` with reason "${req.reason}"` : '';
  let ids = compactIds(planned.map((p) => p.id));
  if (ids.length > maxChars)
    ids = `${ids.slice(0, ids.lastIndexOf(',', maxChars))}, ... (every id: add --dry-run --json)`;
  const head = `${verb} ${jobs(planned.length)} of ${queue.base} (${req.filterText})${why}`;
  const scope = `${search.examined.toLocaleString('en-US')} examined`;
  const stop = search.budgetHit
    ? `; the search stopped at --scan-limit ${req.filter.scanLimit.toLocaleString('en-US')}: more jobs may match, run again afterwards for the rest`
    : search.limitHit
      ? `; stopped at --limit ${req.filter.limit.toLocaleString('en-US')}`
      : '';
  return planned.length === 0
    ? `no job of ${queue.base} matches (${req.filterText}; ${scope}${stop})`
    : `${head}: ids ${ids} (${scope}${stop})`;
}

export async function performJobsAction(conn: Connection, req: JobsActionRequest): Promise<JobsActionResult> {
  const { queues } = await findQueues(conn, req.prefixes);
  const queue = await assertCanAct(
    conn,
    pickQueue(queues, req.name, req.prefixes),
    req.action,
    req.timeoutMs,
  );
  const search = await searchJobs(conn.client, queue.base, req.filter);
  const planned = search.jobs.map((j) => ({ id: j.id, state: j.state }));
  // Every examined job matched up to the budget: the budget, not --limit, is what stopped it.
  const budgetHit =
    search.budgetHit || (planned.length >= req.filter.limit && search.examined >= req.filter.scanLimit);
  const limitHit = !budgetHit && planned.length >= req.filter.limit;
  const plan = jobsPlanText(req, queue, planned, { examined: search.examined, budgetHit, limitHit });
  const base = {
    target: req.target,
    queue,
    action: req.action,
    states: req.filter.states,
    examined: search.examined,
    budgetHit,
    limitHit,
    planned,
    reason: req.action === 'discard' || req.action === 'move-to-failed' ? req.reason : null,
    plan,
    skipped: [] as SkippedJob[],
  };
  if (planned.length === 0) return { ...base, dryRun: req.dryRun, changed: [] };
  req.announce(plan);
  if (req.dryRun) return { ...base, dryRun: true, changed: [] };
  await confirmPlan(req, plan);

  let stop = false;
  const release = req.onInterrupt?.(() => (stop = true));
  const changed: string[] = [];
  const skipped: SkippedJob[] = [];
  const q = await openQueue(conn, queue);
  const soFar = (): string =>
    `${pastTense[req.action]} ${changed.length.toLocaleString('en-US')} of ${jobs(planned.length)}${skipped.length ? ` (${skipped.length} skipped)` : ''}`;
  // The job whose BullMQ call was sent when the server froze: it may still run when it wakes.
  let inFlight: string | null = null;
  try {
    for (const { id, state } of planned) {
      if (stop)
        throw new CliError(
          `interrupted: ${soFar()} in ${queue.base}`,
          'run the same command again to finish (the search finds what is left)',
          ExitCode.cancelled,
        );
      try {
        const now = await readJobNow(q, conn, queue, id, req.timeoutMs);
        const why = !now
          ? 'gone'
          : now.state !== state
            ? `now ${now.state}`
            : refusalFor(req.action, now)
              ? 'locked by a worker'
              : null;
        if (why || !now) skipped.push({ id, why: why ?? 'gone' });
        else {
          inFlight = id;
          await applyJobAction(req.action, now, req.reason, req.timeoutMs);
          inFlight = null;
          changed.push(id);
        }
      } catch (err) {
        // BullMQ's own "not in the failed state" / "locked": the job moved on between our read and its script.
        if (isJobMovedOn(err) || isSchedulerJob(err)) {
          inFlight = null;
          skipped.push({
            id,
            why: isSchedulerJob(err)
              ? 'the next run of a job scheduler (remove the scheduler instead)'
              : ((err as Error).message.split('\n')[0] ?? 'moved on'),
          });
        } else {
          const maybe =
            inFlight && /timed out|closed|ECONNRESET/i.test(String(err))
              ? ` (job ${inFlight} was in flight and may be ${pastTense[req.action]} too)`
              : '';
          throw writeError(
            err,
            `${req.action} jobs of ${queue.base}`,
            queue,
            changed.length + skipped.length > 0 || maybe
              ? `; ${soFar()}${maybe}, run again to finish`
              : '; nothing changed',
          );
        }
      }
      req.progress?.(changed.length + skipped.length, planned.length);
    }
  } finally {
    release?.();
    await q.close().catch(() => undefined);
  }
  return { ...base, dryRun: false, changed, skipped };
}
