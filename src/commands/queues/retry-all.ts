import { CancelledError, CliError, ExitCode } from '../../errors.js';
import { refuseAction, runAction } from '../../queues/actions.js';
import { assertWritable, classifyQueue } from '../../queues/guard.js';
import type { RetryState } from '../../queues/keys.js';
import { findQueues } from '../../queues/load.js';
import type { Connection } from '../../redis/connect.js';
import { formatColumns } from './format.js';
import type { RetryAllResult, RetryAllRow } from './types.js';

/**
 * `queues retry --all-queues --state failed`: every queue found, one plan with a row per queue
 * (jobs finished in the state before the plan, ZCOUNT by score), one confirmation, then each
 * queue through the same batched BullMQ retry as `queues retry` (never more than its row said).
 * Queues BullMQ must not act on (old bull, spread over slots, ':' names) are listed as skipped.
 */
export interface RetryAllRequest {
  target: string;
  prefixes: string[];
  state: RetryState;
  yes: boolean;
  dryRun: boolean;
  interactive: boolean;
  noPrompt?: string;
  timeoutMs: number;
  confirm: (message: string) => Promise<boolean>;
  announce: (line: string) => void;
  onInterrupt?: (stop: () => void) => () => void;
  batchSize?: number;
  /** After each batch: the queue's index and the jobs done in it. */
  progress?: (queue: number, done: number) => void;
}

const jobs = (n: number): string => `${n.toLocaleString('en-US')} job${n === 1 ? '' : 's'}`;

export function retryAllPlanText(state: RetryState, rows: RetryAllRow[]): string {
  const acting = rows.filter((r) => (r.matched ?? 0) > 0);
  const total = acting.reduce((a, r) => a + (r.matched ?? 0), 0);
  const table = formatColumns(
    [
      ['QUEUE', state.toUpperCase(), ''],
      ...rows
        .filter((r) => r.skipped || (r.matched ?? 0) > 0)
        .map((r) => [
          r.queue.base,
          r.skipped ? '-' : String(r.matched),
          r.skipped ? `skipped: ${r.skipped}` : '',
        ]),
    ],
    ['left', 'right', 'left'],
  ).map((l) => `  ${l.trimEnd()}`);
  const none = rows.filter((r) => !r.skipped && r.matched === 0).length;
  return [
    `retry ${jobs(total)} in ${state} across ${acting.length} queue${acting.length === 1 ? '' : 's'} (moved back to wait)${none ? `; ${none} more queue${none === 1 ? ' has' : 's have'} none` : ''}`,
    ...(acting.length + rows.filter((r) => r.skipped).length > 0 ? table : []),
  ].join('\n');
}

function summary(rows: RetryAllRow[]): string {
  return rows
    .filter((r) => r.changed !== null)
    .map((r) => `${r.changed} of ${r.matched} in ${r.queue.base}`)
    .join(', ');
}

export async function performRetryAll(conn: Connection, req: RetryAllRequest): Promise<RetryAllResult> {
  const { queues } = await findQueues(conn, req.prefixes);
  await assertWritable(conn, `retry across queues`, req.timeoutMs);
  const now = Date.now();
  const rows: RetryAllRow[] = [];
  for (const found of queues) {
    const queue = await classifyQueue(conn, found, req.timeoutMs);
    const refusal = refuseAction('retry', queue);
    if (refusal) {
      // "cannot retry <base>: <why>; ..." → "<why>" (the base is the row's own).
      const why =
        refusal.message.slice(`cannot retry ${queue.base}: `.length).split(';')[0] ?? refusal.message;
      rows.push({ queue, matched: null, changed: null, skipped: why });
      continue;
    }
    const matched = Number(await conn.client.zcount(`${queue.base}:${req.state}`, 0, now));
    rows.push({ queue, matched, changed: null, skipped: null });
  }
  const plan = retryAllPlanText(req.state, rows);
  const total = rows.reduce((a, r) => a + (r.matched ?? 0), 0);
  const base = { target: req.target, state: req.state, plan };
  if (total === 0)
    return {
      ...base,
      dryRun: req.dryRun,
      rows: rows.map((r) => ({ ...r, changed: r.skipped || req.dryRun ? null : 0 })),
    };
  req.announce(plan);
  if (req.dryRun) return { ...base, dryRun: true, rows };
  if (!req.yes) {
    if (!req.interactive)
      throw new CliError(
        `refusing to retry without confirmation: ${req.noPrompt ?? 'no terminal to ask on'}`,
        'pass --yes to confirm, or --dry-run to preview',
      );
    if (!(await req.confirm(`retry ${jobs(total)} in ${req.state} across these queues?`)))
      throw new CancelledError('cancelled: nothing changed');
  }
  let stop = false;
  const release = req.onInterrupt?.(() => (stop = true));
  try {
    for (const [i, row] of rows.entries()) {
      if (row.skipped || !row.matched) {
        if (!row.skipped) row.changed = 0;
        continue;
      }
      if (stop) break;
      const key = `${row.queue.base}:${req.state}`;
      let outcome;
      try {
        outcome = await runAction(
          conn,
          row.queue,
          'retry',
          { state: req.state },
          { now, matched: row.matched },
          { stopped: () => stop, batchSize: req.batchSize, progress: (d) => req.progress?.(i, d) },
          req.timeoutMs,
          async () => Number(await conn.client.zcount(key, 0, now)),
        );
      } catch (err) {
        const before = summary(rows);
        const e = err instanceof CliError ? err : new CliError(String(err));
        throw new CliError(
          before ? `${e.message} (before it: retried ${before})` : e.message,
          e.hint,
          e.exitCode,
        );
      }
      row.changed = outcome.changed;
      if (outcome.interrupted) break;
    }
  } finally {
    release?.();
  }
  if (stop) {
    const left = rows.filter((r) => !r.skipped && (r.matched ?? 0) > 0 && r.changed === null).length;
    throw new CliError(
      `interrupted: retried ${summary(rows.filter((r) => (r.matched ?? 0) > 0)) || 'nothing'}${left ? `; ${left} queue${left === 1 ? '' : 's'} not started` : ''}`,
      'run the same command again to finish',
      ExitCode.cancelled,
    );
  }
  return { ...base, dryRun: false, rows };
}
