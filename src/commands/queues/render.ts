import { color, symbols } from '../../ui/colors.js';
import { plural } from '../../ui/format.js';
import { formatAge, formatColumns, shortVersion, type Align } from './format.js';
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
    ? `${v.queue}: ${v.value} failed jobs, more than --max-failed ${v.limit}`
    : `${v.queue}: oldest waiting job is ${v.value}s old, more than --max-waiting-age ${v.limit}`;
}

const header = [
  '',
  'PREFIX',
  'NAME',
  'WAIT',
  'ACTIVE',
  'DELAYED',
  'PRIO',
  'CHILDREN',
  'DONE',
  'FAILED',
  'PAUSED',
  'WORKERS',
  'OLDEST',
  'VERSION',
];
const align: Align[] = [
  'left',
  'left',
  'left',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'left',
  'right',
  'right',
  'left',
];

function cells(q: QueueRow): string[] {
  const c = q.counts;
  const n = (x: number | undefined): string => (c ? String(x ?? 0) : '?');
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

export function renderQueues(r: QueuesResult): string {
  const c = color();
  const lines = [`${c.bold('redis-ops queues')}  ${r.target}${r.cluster ? '  (cluster)' : ''}`, ''];
  if (r.queues.length === 0) {
    lines.push('no BullMQ queues found');
  } else {
    const rows = [header, ...r.queues.map(cells)];
    const failedCol = header.indexOf('FAILED');
    lines.push(
      ...formatColumns(rows, align, (ri, ci, text) => {
        if (ri === 0) return c.bold(text);
        const q = r.queues[ri - 1] as QueueRow;
        if (ci === failedCol && (q.counts?.failed ?? 0) > 0) return c.red(text);
        return q.attention.length > 0 ? c.yellow(text) : text;
      }),
    );
    const flagged = r.queues.filter((q) => q.attention.length > 0);
    if (flagged.length > 0) lines.push('');
    for (const q of flagged) lines.push(c.yellow(`${symbols.warn} ${q.base}: ${q.attention.join('; ')}`));
  }
  const how = r.countsFrom === 'lua' ? 'one read-only script per queue, pipelined' : 'pipelined LLEN/ZCARD';
  lines.push('', `${plural(r.queues.length, 'queue')}; counts from ${how}`);
  if (r.onReplica)
    lines.push(
      'this is a replica: workers connect to the primary, so they are not visible here; "alive?" means the replicated stalled-check key exists (a worker ran in the last 30 s)',
    );
  else if (!r.workersKnown)
    lines.push(
      `CLIENT LIST is denied: workers unknown; "alive?" means the queue's stalled-check key exists (a worker ran in the last 30 s)`,
    );
  if (!r.scripting.allowed)
    lines.push(
      'EVAL is denied for this user: counts come from pipelined LLEN/ZCARD (still exact); retry, promote, clean, pause and resume are unavailable',
    );
  for (const v of r.violations) lines.push(c.red(`${symbols.fail} ${describeViolation(v)}`));
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
