import { color, symbols } from '../../ui/colors.js';
import { formatCount, plural } from '../../ui/format.js';
import { droppedNote, renderTable, wrapText, type Column } from '../../ui/table.js';

/** Plain text wrapped to the width (colour is applied per line afterwards); a pipe gets one line. */
const fitText = (text: string, width: number | undefined): string[] =>
  width === undefined ? [text] : wrapText(text, width);
import { formatAge, shortVersion } from './format.js';
import type { ActionJson, ActionResult, QueueRow, QueuesJson, QueuesResult, Violation } from './types.js';

/** The documented JSON shape of `queues --json` (README "queues"). */
export function toQueuesJson(r: QueuesResult): QueuesJson {
  return {
    target: r.target,
    cluster: r.cluster,
    eval: r.scripting.allowed ? 'allowed' : 'denied',
    countsFrom: r.countsFrom,
    workersFrom: r.workersKnown ? 'client-list' : 'stalled-check',
    replica: r.onReplica,
    queues: r.queues.map((q) => ({
      prefix: q.prefix,
      name: q.name,
      key: q.base,
      split: q.split,
      version: q.version,
      paused: q.paused,
      counts: q.counts,
      workers: q.workers,
      stalledCheck: q.stalledCheck,
      oldestWaitingAgeMs: q.oldestWaitingAgeMs,
      attention: q.attention,
      error: q.error,
    })),
    violations: r.violations,
  };
}

export function describeViolation(v: Violation): string {
  if (v.rule === 'unreadable')
    return `${v.queue}: could not be read, so the gate cannot pass: ${v.error ?? 'unknown error'}`;
  return v.rule === 'max-failed'
    ? `${v.queue}: ${formatCount(v.value)} failed jobs, more than --max-failed ${formatCount(v.limit)}`
    : `${v.queue}: oldest waiting job is ${v.value}s old, more than --max-waiting-age ${v.limit}`;
}

/**
 * The table's columns; at 80 columns the least read go first (drop order), and long prefixes and
 * names are shortened in the middle. --wide shows them all.
 */
const columns: Column[] = [
  { head: '', align: 'left' },
  { head: 'PREFIX', align: 'left', shrink: 6, drop: 6 },
  { head: 'NAME', align: 'left', shrink: 12 },
  { head: 'WAIT', align: 'right' },
  { head: 'ACTIVE', align: 'right' },
  { head: 'DELAYED', align: 'right', drop: 5 },
  { head: 'PRIO', align: 'right', drop: 2 },
  { head: 'CHILDREN', align: 'right', drop: 1 },
  { head: 'DONE', align: 'right', drop: 4 },
  { head: 'FAILED', align: 'right' },
  { head: 'PAUSED', align: 'left', drop: 3 },
  { head: 'WORKERS', align: 'right' },
  { head: 'OLDEST', align: 'right' },
  { head: 'VERSION', align: 'left', drop: 0 },
];
const header = columns.map((c) => c.head);

function cells(q: QueueRow): string[] {
  const c = q.counts;
  const n = (x: number | undefined): string => (c ? formatCount(x ?? 0) : '?');
  const workers = q.workers === null ? (q.stalledCheck ? 'alive?' : '-') : String(q.workers);
  return [
    q.attention.length > 0 ? symbols.warn : ' ',
    q.prefix,
    q.name,
    n(c?.waiting),
    n(c?.active),
    n(c?.delayed),
    n(c?.prioritized),
    n(c?.['waiting-children']),
    n(c?.completed),
    n(c?.failed),
    q.paused ? 'yes' : 'no',
    workers,
    formatAge(q.oldestWaitingAgeMs),
    shortVersion(q.version),
  ];
}

/** `width`: the terminal's columns (undefined: every column at full width, as with --wide or a pipe). */
export function renderQueues(r: QueuesResult, width?: number): string {
  const c = color();
  const lines = [`${c.bold('redis-ops queues')}  ${r.target}${r.cluster ? '  (cluster)' : ''}`, ''];
  if (r.queues.length === 0) {
    lines.push('no BullMQ queues found');
  } else {
    const failedCol = header.indexOf('FAILED');
    const table = renderTable(columns, r.queues.map(cells), {
      width,
      paint: (ri, ci, text) => {
        if (ri === 0) return c.bold(text);
        const q = r.queues[ri - 1] as QueueRow;
        if (ci === failedCol && (q.counts?.failed ?? 0) > 0) return c.red(text);
        return q.attention.length > 0 ? c.yellow(text) : text;
      },
    });
    lines.push(...table.lines);
    const note = droppedNote(table.dropped);
    if (note) lines.push(...fitText(note, width).map((l) => c.dim(l)));
    const flagged = r.queues.filter((q) => q.attention.length > 0);
    if (flagged.length > 0) lines.push('');
    for (const q of flagged) lines.push(c.yellow(`${symbols.warn} ${q.base}: ${q.attention.join('; ')}`));
  }
  const how = r.countsFrom === 'lua' ? 'one read-only script per queue, pipelined' : 'pipelined LLEN/ZCARD';
  lines.push('', ...fitText(`${plural(r.queues.length, 'queue')}; counts from ${how}`, width));
  if (r.onReplica)
    lines.push(
      ...fitText(
        'this is a replica: workers connect to the primary, so they are not visible here; "alive?" means the replicated stalled-check key exists (a worker ran in the last 30 s)',
        width,
      ),
    );
  else if (!r.workersKnown)
    lines.push(
      ...fitText(
        `CLIENT LIST is denied: workers unknown; "alive?" means the queue's stalled-check key exists (a worker ran in the last 30 s)`,
        width,
      ),
    );
  if (!r.scripting.allowed)
    lines.push(
      ...fitText(
        'EVAL is denied for this user: counts come from pipelined LLEN/ZCARD (still exact); retry, promote, clean, pause and resume are unavailable',
        width,
      ),
    );
  for (const v of r.violations)
    lines.push(...fitText(`${symbols.fail} ${describeViolation(v)}`, width).map((l) => c.red(l)));
  return lines.join('\n');
}

export function toActionJson(r: ActionResult): ActionJson {
  return {
    queue: { prefix: r.queue.prefix, name: r.queue.name, key: r.queue.base },
    action: r.action,
    state: r.state,
    dryRun: r.dryRun,
    matched: r.matched,
    exact: r.exact,
    cutoff: r.cutoff,
    changed: r.changed,
    before: r.before,
    after: r.after,
    note: r.note,
  };
}

export function renderAction(r: ActionResult): string {
  const c = color();
  if (r.dryRun) return `${c.cyan(symbols.info)} dry run: ${r.plan}; nothing changed`;
  if (r.note) return `${c.green(symbols.pass)} ${r.note}`;
  return `${c.green(symbols.pass)} ${r.done}`;
}
