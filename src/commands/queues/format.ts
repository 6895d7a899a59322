/** Plain-text helpers for the queues renderers (no colour here: cells are padded first, coloured after). */

import { renderTable, type Align } from '../../ui/table.js';

export type { Align };

/** Pad cells into aligned columns (src/ui/table.ts); `paint(row, col, padded)` may colour a padded cell. */
export function formatColumns(
  rows: string[][],
  align: Align[],
  paint?: (row: number, col: number, text: string) => string,
): string[] {
  const [head = [], ...body] = rows;
  return renderTable(
    head.map((h, i) => ({ head: h, align: align[i] ?? 'left' })),
    body,
    { paint },
  ).lines;
}

/** 850 ms, 12s, 4m 05s, 3h 12m, 2d 4h: short enough for a table cell. */
export function formatAge(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** "bullmq:6.7.0" → "6.7.0"; no meta → "-". */
export function shortVersion(version: string | null): string {
  if (!version) return '-';
  return version.startsWith('bullmq:') ? version.slice('bullmq:'.length) : version;
}
