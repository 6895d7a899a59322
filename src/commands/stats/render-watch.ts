import { fitColumns, type Column } from '../../ui/table.js';
import { formatBytes, formatCount, formatPercent, formatRate } from '../../ui/format.js';
import type { FailoverEvent, WatchJson } from './types.js';
import type { WindowRow } from './window.js';

/**
 * --watch rows: fixed-width columns so a stream of rows lines up (no table to rebuild). In a
 * narrow terminal the least read columns are left out (src/ui/table.ts's drop order); --wide
 * keeps them all.
 */
const columns: Array<Column & { width: number }> = [
  { head: 'time', align: 'left', width: 8 },
  { head: 'hit ratio', align: 'right', width: 9 },
  { head: 'ops/s', align: 'right', width: 12 },
  { head: 'evict/s', align: 'right', width: 9, drop: 2 },
  { head: 'expire/s', align: 'right', width: 9, drop: 1 },
  { head: 'memory', align: 'right', width: 10 },
  { head: 'clients', align: 'right', width: 7, drop: 3 },
  { head: 'keys', align: 'right', width: 11, drop: 4 },
];

const line = (cells: string[], width?: number): string => {
  const fit = fitColumns(
    columns,
    columns.map((c) => c.width),
    width,
  );
  return fit.kept
    .map((i, k) => {
      const cell = cells[i] ?? '';
      const w = fit.widths[k] ?? 0;
      return columns[i]?.align === 'left' ? cell.padEnd(w) : cell.padStart(w);
    })
    .join('  ');
};

export function watchHeader(width?: number): string {
  return line(
    columns.map((c) => c.head),
    width,
  );
}

export function renderWatchRow(r: WindowRow, width?: number): string {
  const row = line(
    [
      r.time.slice(11, 19),
      formatPercent(r.hitRatio, '-'),
      formatRate(r.opsPerSec, ''),
      formatRate(r.evictionsPerSec, ''),
      formatRate(r.expirationsPerSec, ''),
      formatBytes(r.usedMemory),
      formatCount(r.connectedClients),
      formatCount(r.keys),
    ].map((s) => s.trim()),
    width,
  );
  // Marked rows: the figures of this interval leave out what could not be measured.
  const notes: string[] = [];
  if (r.topologyChanged) notes.push('primaries changed (failover?): new ones counted from the next row');
  if (r.unreachable.length > 0) notes.push(`not answering: ${r.unreachable.join(', ')}`);
  return notes.length > 0 ? `${row}  * ${notes.join('; ')}` : row;
}

/** One NDJSON line per row. */
export function toWatchJson(r: WindowRow): WatchJson {
  return r;
}

/** The marker line for a switch of primary (Sentinel failover) between two rows. */
export function renderFailover(e: FailoverEvent): string {
  const f = e.failover;
  return `${e.time.slice(11, 19)}  failover: primary is now ${f.primary} (was ${f.previous}); no figures for the ${(f.gapMs / 1000).toFixed(1)} s across the switch`;
}
