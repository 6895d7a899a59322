import type { DiscoveredQueue } from '../../queues/discover.js';
import type { JobDetail } from '../../queues/jobs.js';
import { color } from '../../ui/colors.js';
import { formatAge } from './format.js';
import type { JobJson } from './types.js';
import { formatCount } from '../../ui/format.js';

export interface JobResult {
  target: string;
  queue: DiscoveredQueue;
  job: JobDetail;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The documented JSON shape of `queues job --json`: absolute times as ISO strings. */
export function toJobJson(r: JobResult): JobJson {
  const j = r.job;
  return {
    target: r.target,
    queue: { prefix: r.queue.prefix, name: r.queue.name, key: r.queue.base },
    id: j.id,
    state: j.state,
    name: j.name,
    data: j.data,
    dataRaw: j.dataRaw,
    opts: j.opts,
    attempts: { made: j.attemptsMade, started: j.attemptsStarted, allowed: j.attemptsAllowed },
    backoff: j.backoff,
    timestamp: iso(j.timestamp),
    processedOn: iso(j.processedOn),
    finishedOn: iso(j.finishedOn),
    delayUntil: iso(j.delayUntil),
    priority: j.priority,
    progress: j.progress,
    returnValue: j.returnValue,
    failedReason: j.failedReason,
    stacktraces: j.stacktraces,
    logs: j.logs,
    parent: j.parent,
    children: j.children,
    deduplicationId: j.deduplicationId,
    processedBy: j.processedBy,
    stalledCounter: j.stalledCounter,
    lock: j.lock,
  };
}

const when = (ms: number | null): string =>
  ms === null ? '-' : `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

const indent = (text: string, by = '    '): string[] => text.split('\n').map((l) => `${by}${l}`);

export function renderJob(r: JobResult, raw: boolean): string {
  const c = color();
  const j = r.job;
  const row = (label: string, value: string): string => `  ${label.padEnd(12)}${value}`;
  const out = [`${c.bold('redis-ops queues job')}  ${r.queue.base}  #${j.id}  ${r.target}`, ''];
  out.push(row('state', j.state === 'failed' ? c.red(j.state) : j.state));
  out.push(row('name', j.name ?? '-'));
  out.push(
    row(
      'attempts',
      `${j.attemptsMade} made of ${j.attemptsAllowed} allowed${j.backoff ? ` · backoff ${JSON.stringify(j.backoff)}` : ''}`,
    ),
  );
  out.push(row('created', when(j.timestamp)));
  out.push(row('processed', when(j.processedOn)));
  out.push(row('finished', when(j.finishedOn)));
  if (j.delayUntil !== null) out.push(row('delay until', when(j.delayUntil)));
  if (j.priority) out.push(row('priority', String(j.priority)));
  if (j.progress !== null && j.progress !== 0) out.push(row('progress', JSON.stringify(j.progress)));
  if (j.lock)
    out.push(
      row(
        'lock',
        `held${j.lock.ttlMs === null ? '' : `, expires in ${formatAge(j.lock.ttlMs)}`}${j.processedBy ? ` by worker ${j.processedBy}` : ''}`,
      ),
    );
  else if (j.processedBy) out.push(row('worker', j.processedBy));
  if (j.parent) out.push(row('parent', j.parent));
  if (j.children.pending.length + j.children.processed + j.children.failed > 0)
    out.push(
      row(
        'children',
        `${j.children.pending.length} pending, ${formatCount(j.children.processed)} processed, ${formatCount(j.children.failed)} failed`,
      ),
    );
  if (j.deduplicationId) out.push(row('dedup id', j.deduplicationId));
  if (j.stalledCounter > 0) out.push(row('stalled', `${j.stalledCounter} time(s)`));
  out.push('', '  data');
  out.push(...indent(raw ? (j.dataRaw ?? '') : JSON.stringify(j.data, null, 2)));
  out.push('', '  opts');
  out.push(...indent(JSON.stringify(j.opts, null, 2)));
  if (j.returnValue !== null)
    out.push('', '  return value', ...indent(JSON.stringify(j.returnValue, null, 2)));
  if (j.failedReason) out.push('', `  failed reason: ${c.red(j.failedReason)}`);
  j.stacktraces.forEach((s, i) =>
    out.push('', `  stack trace ${i + 1} of ${j.stacktraces.length}`, ...indent(s)),
  );
  out.push('', `  logs (${j.logs.lines.length} of ${j.logs.total})`);
  out.push(...j.logs.lines.map((l) => `    ${l}`));
  return out.join('\n');
}
