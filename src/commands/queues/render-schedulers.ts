import type { DiscoveredQueue } from '../../queues/discover.js';
import type { SchedulerEntry } from '../../queues/schedulers.js';
import { formatAge, formatColumns } from './format.js';
import type { SchedulerRemoveJson, SchedulerRemoveResult as RemoveResult, SchedulersJson } from './types.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const when = (ms: number | null): string =>
  ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export interface SchedulersResult {
  target: string;
  queue: DiscoveredQueue;
  total: number;
  entries: SchedulerEntry[];
  now: number;
}

/** `cron 0 3 * * * (Europe/Paris)`, `every 30s`, or what is missing. */
export function describeScheduler(s: SchedulerEntry): string {
  if (s.kind === 'broken') return 'broken: its hash is missing';
  const tz = s.tz ? ` (${s.tz})` : '';
  if (s.pattern) return `cron ${s.pattern}${tz}`;
  if (s.every !== null) return `every ${formatAge(s.every)}`;
  return 'no pattern or interval';
}

export function toSchedulersJson(r: SchedulersResult): SchedulersJson {
  return {
    target: r.target,
    queue: { prefix: r.queue.prefix, name: r.queue.name, key: r.queue.base },
    total: r.total,
    complete: r.entries.length >= r.total,
    schedulers: r.entries.map((s) => ({
      id: s.id,
      kind: s.kind,
      pattern: s.pattern,
      every: s.every,
      tz: s.tz,
      next: iso(s.next),
      template: { name: s.name, data: s.data, opts: s.opts },
      iterations: s.iterations,
      limit: s.limit,
      startDate: iso(s.startDate),
      endDate: iso(s.endDate),
      offset: s.offset,
    })),
  };
}

export function renderSchedulers(r: SchedulersResult): string {
  const head = `queues schedulers  ${r.queue.base}  ${r.target}`;
  if (r.entries.length === 0) return `${head}\n\n  no job schedulers or repeatable jobs`;
  const rows = [
    ['ID', 'KIND', 'SCHEDULE', 'NEXT RUN (UTC)', 'IN', 'TEMPLATE', 'ITERATIONS'],
    ...r.entries.map((s) => [
      s.id,
      s.kind,
      describeScheduler(s),
      when(s.next),
      s.next === null
        ? '-'
        : s.next >= r.now
          ? formatAge(s.next - r.now)
          : `due ${formatAge(r.now - s.next)} ago`,
      s.name ?? '-',
      s.iterations === null ? '-' : s.limit === null ? String(s.iterations) : `${s.iterations} of ${s.limit}`,
    ]),
  ];
  const out = [
    head,
    '',
    ...formatColumns(rows, ['left', 'left', 'left', 'left', 'right', 'left', 'right']).map((l) => `  ${l}`),
  ];
  if (r.entries.length < r.total)
    out.push('', `  first ${r.entries.length} of ${r.total} (next to run first): --limit shows more`);
  const broken = r.entries.filter((s) => s.kind === 'broken').length;
  if (broken > 0)
    out.push(
      '',
      `  ${broken} broken: listed in ${r.queue.base}:repeat without their hash (BullMQ's getJobSchedulers() would delete them; this read did not)`,
    );
  return out.join('\n');
}

export function toSchedulerRemoveJson(r: RemoveResult): SchedulerRemoveJson {
  return {
    queue: { prefix: r.queue.prefix, name: r.queue.name, key: r.queue.base },
    id: r.scheduler.id,
    kind: r.scheduler.kind,
    dryRun: r.dryRun,
    removed: r.removed,
    nextJob: r.nextJob,
  };
}

export function renderRemove(r: RemoveResult): string {
  if (r.dryRun) return `dry run: would ${r.plan}; nothing changed`;
  return r.removed
    ? `removed "${r.scheduler.id}" of ${r.queue.base}${r.nextJob ? ` and its next job ${r.nextJob}` : ''}`
    : `"${r.scheduler.id}" is still in ${r.queue.base}:repeat (a producer may have upserted it again)`;
}
