import type { DiscoveredQueue } from '../../queues/discover.js';
import type { FoundJob, JobSearch } from '../../queues/search.js';
import { color } from '../../ui/colors.js';
import { formatColumns } from './format.js';
import type { JobsJson } from './types.js';
import { formatCount } from '../../ui/format.js';

export interface JobsResult extends JobSearch {
  target: string;
  queue: DiscoveredQueue;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** One job as JSON (the `--ndjson` line and the items of `--json`). */
export function toJobObject(j: FoundJob): Record<string, unknown> {
  let data: unknown = j.data;
  try {
    data = j.data === null ? null : (JSON.parse(j.data) as unknown);
  } catch {
    // not JSON: keep the stored string
  }
  return {
    id: j.id,
    state: j.state,
    name: j.name,
    timestamp: iso(j.timestamp),
    processedOn: iso(j.processedOn),
    finishedOn: iso(j.finishedOn),
    priority: j.priority,
    attemptsMade: j.attemptsMade,
    failedReason: j.failedReason,
    data,
  };
}

export const toJobLine = (j: FoundJob): string => JSON.stringify(toJobObject(j));

export function toJobsJson(r: JobsResult): JobsJson {
  return {
    target: r.target,
    queue: { prefix: r.queue.prefix, name: r.queue.name, key: r.queue.base },
    examined: r.examined,
    budgetHit: r.budgetHit,
    jobs: r.jobs.map(toJobObject),
  };
}

const when = (ms: number | null): string =>
  ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export function renderJobs(r: JobsResult, scanLimit: number): string {
  const c = color();
  const out = [`${c.bold('redis-ops queues jobs')}  ${r.queue.base}  ${r.target}`, ''];
  if (r.jobs.length === 0) out.push('no job matched');
  else {
    const rows = [
      ['ID', 'STATE', 'NAME', 'CREATED', 'FINISHED', 'ATTEMPTS', 'REASON'],
      ...r.jobs.map((j) => [
        j.id,
        j.state,
        j.name ?? '-',
        when(j.timestamp),
        when(j.finishedOn),
        String(j.attemptsMade),
        (j.failedReason ?? '').split('\n')[0] ?? '',
      ]),
    ];
    out.push(...formatColumns(rows, ['left', 'left', 'left', 'left', 'left', 'right', 'left']));
  }
  out.push(
    '',
    `${formatCount(r.jobs.length)} listed; ${formatCount(r.examined)} jobs examined${r.budgetHit ? ` (stopped at --scan-limit ${formatCount(scanLimit)}: more may match)` : ''}`,
  );
  return out.join('\n');
}
