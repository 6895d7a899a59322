import { formatCount } from '../../ui/format.js';
import { fit } from '../../ui/live.js';
import { bucketSeries, sparkline } from '../../ui/sparkline.js';
import { renderTable, type Column } from '../../ui/table.js';
import { formatAge } from './format.js';
import type { QueuesWatchJson, WatchRow, WatchSnapshot } from './types.js';

/**
 * `queues --watch`'s two faces, both pure: the full-screen frame (lines cut to the terminal,
 * columns dropped in a fixed order on a narrow one) and the NDJSON line.
 */
export interface ViewState {
  /** Index into the filtered rows. */
  selected: number;
  filter: string;
  /** The filter being typed after `/` (null: not typing). */
  typing: string | null;
  /** A question waiting for y/n, or the outcome of the last action. */
  prompt: string | null;
  message: string | null;
}

/** The sparkline column: up to 20 points over (at most) the last five minutes. */
const sparkPoints = 20;
const sparkMs = 5 * 60_000;

const columns: Column[] = [
  { head: ' ', align: 'left' },
  { head: 'QUEUE', align: 'left', shrink: 8 },
  { head: 'WAIT', align: 'right' },
  { head: 'ACTIVE', align: 'right', drop: 5 },
  { head: 'DELAYED', align: 'right', drop: 2 },
  { head: 'FAILED', align: 'right' },
  { head: 'ADD/S', align: 'right', drop: 4 },
  { head: 'DONE/S', align: 'right' },
  { head: 'FAIL/S', align: 'right', drop: 6 },
  { head: 'OLDEST', align: 'right', drop: 7 },
  { head: 'WORKERS', align: 'right', drop: 3 },
  { head: 'LAST 5M', align: 'left', drop: 1 },
  { head: 'ATTENTION', align: 'left', drop: 0 },
];

export function filterRows(rows: WatchRow[], filter: string): WatchRow[] {
  const f = filter.toLowerCase();
  return f === '' ? rows : rows.filter((r) => r.base.toLowerCase().includes(f));
}

const rate = (n: number | null | undefined, approx = false): string => {
  if (n === null || n === undefined) return '-';
  const text = n < 10 && !Number.isInteger(n) ? n.toFixed(1) : formatCount(Math.round(n));
  return approx ? `≥${text}` : text;
};

function cells(r: WatchRow, selected: boolean, intervalMs: number): string[] {
  const c = r.counts;
  // One sample per point while the history is short; at most five minutes in 20 points.
  const span = Math.min(r.history.length, Math.ceil(sparkMs / intervalMs));
  const per = Math.max(1, Math.ceil(span / sparkPoints));
  const points = bucketSeries(r.history, per, sparkPoints);
  return [
    selected ? '>' : ' ',
    r.base,
    c ? formatCount(c.waiting + c.prioritized) : '?',
    c ? formatCount(c.active) : '?',
    c ? formatCount(c.delayed) : '?',
    c ? formatCount(c.failed) : '?',
    rate(r.rates?.added),
    rate(r.rates?.completed, r.rates?.approximate),
    rate(r.rates?.failed, r.rates?.approximate),
    formatAge(r.oldestWaitingAgeMs),
    r.workers === null ? (r.stalledCheck ? 'yes?' : '?') : String(r.workers),
    points.length === 0 ? '' : sparkline(points),
    r.error ? `unreadable: ${r.error}` : r.attention.join('; '),
  ];
}

export function renderFrame(s: WatchSnapshot, view: ViewState, width: number, height: number): string[] {
  const rows = filterRows(s.rows, view.filter);
  const time = new Date(s.at).toISOString().slice(11, 19);
  const count = view.filter
    ? `filter "${view.filter}": ${rows.length} of ${s.rows.length}`
    : `${s.rows.length} queue${s.rows.length === 1 ? '' : 's'}`;
  // What changes most (the count, the filter) first: a narrow terminal cuts the end.
  const head = [`queues --watch · ${count} · ${time} UTC · every ${s.intervalMs / 1000}s · ${s.target}`, ''];
  // Header, table head, blank, selected line, keys line.
  const room = Math.max(1, height - head.length - 4);
  const first = Math.max(0, Math.min(view.selected - room + 1, rows.length - room));
  const visible = rows.slice(first, first + room);
  const table = renderTable(
    columns,
    visible.map((r, i) => cells(r, first + i === view.selected, s.intervalMs)),
    { width: width - 1 },
  ).lines;
  const more =
    rows.length > visible.length ? `  (${rows.length - visible.length} more: ↑/↓ scroll, / filters)` : '';
  const sel = rows[view.selected];
  const selLine = sel
    ? `${sel.base}: ${sel.error ? `unreadable: ${sel.error}` : sel.attention.length > 0 ? sel.attention.join('; ') : 'nothing needs a look'}${more}`
    : rows.length === 0
      ? view.filter
        ? `no queue matches "${view.filter}"`
        : 'no BullMQ queues found'
      : more;
  const keys =
    view.typing !== null
      ? `filter: ${view.typing}_   (Enter applies, Esc cancels)`
      : (view.prompt ?? view.message ?? '↑/↓ select · / filter · p pause · r resume · q quit');
  return [...head, ...table, '', selLine, keys].map((l) => fit(l, Math.max(1, width - 1)));
}

/** One NDJSON line: the snapshot without the history (a line stays small). */
export function toQueuesWatchJson(s: WatchSnapshot): QueuesWatchJson {
  return {
    time: new Date(s.at).toISOString(),
    target: s.target,
    intervalMs: s.intervalMs,
    seconds: s.seconds,
    workersFrom: s.workersKnown ? 'client-list' : 'stalled-check',
    queues: s.rows.map((r) => ({
      prefix: r.prefix,
      name: r.name,
      key: r.base,
      paused: r.paused,
      counts: r.counts,
      workers: r.workers,
      oldestWaitingAgeMs: r.oldestWaitingAgeMs,
      rates: r.rates && {
        added: r.rates.added === null ? null : round(r.rates.added),
        completed: round(r.rates.completed),
        failed: round(r.rates.failed),
        from: r.rates.from,
        approximate: r.rates.approximate,
      },
      attention: r.attention,
      error: r.error,
    })),
  };
}

const round = (n: number): number => Math.round(n * 100) / 100;
