import { color } from '../../ui/colors.js';
import { formatCount, plural } from '../../ui/format.js';
import { sparkline } from '../../ui/sparkline.js';
import { formatAge, formatColumns, shortVersion } from './format.js';
import { jobOrder } from '../../queues/inspect.js';
import type { ShowJson, ShowResult } from './types.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The documented JSON shape of `queues show --json`: absolute times as ISO strings, durations in ms. */
export function toShowJson(r: ShowResult): ShowJson {
  return {
    target: r.target,
    queue: { prefix: r.queue.prefix, name: r.queue.name, key: r.queue.base, version: r.queue.version },
    paused: r.paused,
    counts: r.counts,
    oldestWaitingAgeMs: r.oldestWaitingAgeMs,
    nextDelayedAt: iso(r.nextDelayedAt),
    meta: r.meta,
    role: r.role,
    limiter: r.limiter,
    stalled: r.stalled,
    workers: r.workers,
    stalledCheck: r.stalledCheck,
    failed: r.failed,
    throughputFrom: r.throughputFrom,
    eventsCoverFrom: iso(r.eventsCoverFrom),
    throughput: r.throughput.map((m) => ({
      minute: iso(m.minute),
      completed: m.completed,
      failed: m.failed,
    })),
    jobSchedulers: r.jobSchedulers,
    jobs: r.jobs && {
      state: r.jobs.state,
      items: r.jobs.items.map((j) => ({
        ...j,
        timestamp: iso(j.timestamp),
        processedOn: iso(j.processedOn),
        finishedOn: iso(j.finishedOn),
      })),
    },
  };
}

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const when = (ms: number | null): string =>
  ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function countsLine(r: ShowResult): string {
  if (!r.counts) return `unreadable: ${r.error}`;
  return Object.entries(r.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
}

function workersLines(r: ShowResult): string[] {
  if (r.role === 'replica')
    return [
      'not visible here: this is a replica, and workers connect to the primary (run this against the primary)',
    ];
  if (r.workers === null)
    return [
      `unknown (CLIENT LIST denied); stalled-check key ${r.stalledCheck ? 'present: a worker ran in the last 30 s' : 'absent: no worker in the last 30 s'}`,
    ];
  if (r.workers.length === 0) return ['none connected'];
  return [
    plural(r.workers.length, 'worker'),
    ...r.workers.map(
      (w) =>
        `  ${w.name ?? '(unnamed)'}  ${w.addr}  idle ${w.idleSeconds}s, connected ${formatAge(w.ageSeconds * 1000)}`,
    ),
  ];
}

function limiterLines(r: ShowResult, configured: string): string[] {
  const l = r.limiter;
  if (l.count === null) return [`${configured}; limiter idle (no limiter key)`];
  const left = l.resetsInMs === null ? '' : `, resets in ${formatAge(l.resetsInMs)}`;
  if (l.count >= 1e8) return [`${configured}; rate-limited by a worker (Worker.rateLimit)${left}`];
  const state = l.tripped ? 'tripped' : 'counting';
  return [
    `${configured}; limiter ${state}: ${plural(l.count, 'job')} in the current window${left}${l.max === null ? ' (limits set on workers are not stored in Redis)' : ''}`,
  ];
}

/**
 * Completed and failed per minute as sparklines, oldest left. Minutes the events stream no
 * longer covers (trimmed) are unknown and drawn blank, not as zero.
 */
export function throughputSparks(r: ShowResult): string[] {
  if (r.throughput.length === 0) return [];
  const cover = r.throughputFrom === 'events' ? r.eventsCoverFrom : null;
  const known = (m: { minute: number }): boolean => cover === null || m.minute + 60_000 > cover;
  const line = (label: string, key: 'completed' | 'failed'): string => {
    const values = r.throughput.map((m) => (known(m) ? m[key] : null));
    const max = Math.max(0, ...values.filter((v): v is number => v !== null));
    const first = hhmm(r.throughput[0]?.minute ?? r.now);
    return `  ${label.padEnd(9)} ${sparkline(values)}  ${first}–now UTC, at most ${max}/min`;
  };
  return [line('completed', 'completed'), line('failed', 'failed')];
}

export function renderShow(r: ShowResult): string {
  const c = color();
  const m = r.meta;
  const section = (label: string, lines: string[]): string[] =>
    lines.map((l, i) => `  ${(i === 0 ? label : '').padEnd(12)}${l}`);
  const out = [
    `${c.bold('redis-ops queues show')}  ${r.queue.base}  (prefix ${r.queue.prefix}, name ${r.queue.name}, bullmq ${shortVersion(r.queue.version)})  ${r.target}`,
    '',
  ];
  out.push(...section('counts', [countsLine(r)]));
  out.push(...section('state', [r.paused ? c.yellow('paused') : 'running']));
  const rate = m.rateLimit
    ? `${formatCount(m.rateLimit.max)} jobs per ${m.rateLimit.durationMs} ms`
    : 'none on the queue';
  out.push(
    ...section('meta', [
      `global concurrency ${m.concurrency ?? 'none'} · events kept ${m.maxLenEvents ?? 'default'}`,
    ]),
  );
  out.push(...section('rate limit', limiterLines(r, rate)));
  out.push(...section('workers', workersLines(r)));
  if (r.stalled.unlocked.length > 0) {
    const none = r.workers !== null && r.workers.length === 0;
    out.push(
      ...section('stalled', [
        c.yellow(
          `${plural(r.stalled.unlocked.length, 'active job')} without a lock (of ${r.stalled.examined} looked at): ${r.stalled.unlocked.slice(0, 10).join(', ')}${none ? '; no worker is connected to run the stalled check that moves them back' : ''}`,
        ),
      ]),
    );
  }
  const s = r.stalled;
  if (s.stalledBefore > 0 || s.failedStalled > 0)
    out.push(
      ...section(r.stalled.unlocked.length > 0 ? '' : 'stalled', [
        ...(s.stalledBefore > 0
          ? [`${plural(s.stalledBefore, 'active job')} of ${s.examined} stalled before (stalledCounter > 0)`]
          : []),
        ...(s.failedStalled > 0
          ? [`${s.failedStalled} of the last ${s.failedExamined} failures stalled more than maxStalledCount`]
          : []),
      ]),
    );
  out.push(
    ...section('waiting', [
      r.oldestWaitingAgeMs === null ? 'no job waiting' : `oldest waiting ${formatAge(r.oldestWaitingAgeMs)}`,
    ]),
  );
  const next = r.nextDelayedAt;
  out.push(
    ...section('delayed', [
      next === null
        ? 'none'
        : `next run ${next <= r.now ? `due ${formatAge(r.now - next)} ago` : `in ${formatAge(next - r.now)}`} (${when(next)} UTC)`,
    ]),
  );
  out.push(
    ...section('schedulers', [
      `${plural(r.jobSchedulers, 'job scheduler')}${r.jobSchedulers > 0 ? ` (list them: redis-ops queues schedulers ${r.queue.base})` : ''}`,
    ]),
  );
  const reasons = r.failed.reasons.map((x) => [formatCount(x.count), x.reason]);
  out.push(
    ...section(
      'failed',
      r.failed.sampled === 0
        ? ['none']
        : [
            `top reasons over the ${plural(r.failed.sampled, 'most recent failure')}:`,
            ...formatColumns(reasons, ['right', 'left']).map((l) => `  ${c.red(l)}`),
          ],
    ),
  );
  const tp = [
    ['minute', 'completed', 'failed'],
    ...r.throughput.map((x) => [hhmm(x.minute), formatCount(x.completed), formatCount(x.failed)]),
  ];
  const from =
    r.throughputFrom === 'metrics'
      ? "per minute from BullMQ's metrics (UTC):"
      : r.eventsCoverFrom !== null
        ? `per minute from the events stream (UTC); the stream is trimmed: events cover the last ${formatAge(r.now - r.eventsCoverFrom)} only, earlier minutes are unknown (enable worker metrics for real figures):`
        : 'per minute from the events stream (UTC):';
  out.push(
    ...section('throughput', [
      from,
      ...throughputSparks(r),
      ...formatColumns(tp, ['left', 'right', 'right']).map((l) => `  ${l}`),
    ]),
  );
  if (r.jobs) {
    out.push('', `  jobs in ${r.jobs.state}, ${jobOrder[r.jobs.state]} (${r.jobs.items.length}):`);
    if (r.jobs.items.length > 0) {
      const rows = [
        ['ID', 'NAME', 'CREATED', 'PROCESSED', 'FINISHED', 'ATTEMPTS', 'REASON'],
        ...r.jobs.items.map((j) => [
          j.id,
          j.name ?? '-',
          when(j.timestamp),
          when(j.processedOn),
          when(j.finishedOn),
          String(j.attemptsMade),
          (j.failedReason ?? '').split('\n')[0] ?? '',
        ]),
      ];
      out.push(
        ...formatColumns(rows, ['left', 'left', 'left', 'left', 'left', 'right', 'left']).map(
          (l) => `    ${l}`,
        ),
      );
    }
  }
  return out.join('\n');
}
