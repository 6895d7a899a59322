import { formatBytes, formatCount, formatPercent, formatRate } from '../../ui/format.js';
import type { FailoverEvent, WatchJson } from './types.js';
import type { WindowRow } from './window.js';

/** --watch rows: fixed-width columns so a stream of rows lines up (no table to rebuild). */
const columns: Array<[string, number]> = [
  ['time', 8],
  ['hit ratio', 9],
  ['ops/s', 12],
  ['evict/s', 9],
  ['expire/s', 9],
  ['memory', 10],
  ['clients', 7],
  ['keys', 8],
];

const line = (cells: string[]): string =>
  cells
    .map((cell, i) => (i === 0 ? cell.padEnd(columns[i]?.[1] ?? 0) : cell.padStart(columns[i]?.[1] ?? 0)))
    .join('  ');

export function watchHeader(): string {
  return line(columns.map(([name]) => name));
}

export function renderWatchRow(r: WindowRow): string {
  return line(
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
  );
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
