import { shortenMiddle } from './live.js';

/**
 * The one column-table engine (queues, stats --watch; the bordered stats tables use cli-table3
 * through ../commands/stats/table.ts for their frames, with cells shortened here first).
 * A table fits a width: long cells marked `shrink` are shortened in the middle first
 * (`user:…:profile`), then columns are dropped in their `drop` order; `--wide` passes no width.
 * Cells are plain text; `paint` may colour a padded cell afterwards (widths stay right).
 */
export type Align = 'left' | 'right';

export interface Column {
  head: string;
  align: Align;
  /** Dropped when the table is too wide: lower numbers go first; undefined: always kept. */
  drop?: number;
  /** May be shortened in the middle down to this many characters. */
  shrink?: number;
}

export interface FitResult {
  /** Indexes of the columns kept, in order. */
  kept: number[];
  /** Width of each kept column (same order as kept). */
  widths: number[];
  /** Heads of dropped columns, for a "--wide shows …" note. */
  dropped: string[];
}

const gap = 2;
const len = (s: string): number => [...s].length;

/** Which columns to keep and how wide, given each column's natural width. */
export function fitColumns(columns: Column[], natural: number[], width?: number): FitResult {
  const widths = [...natural];
  let kept = columns.map((_, i) => i);
  const total = (): number =>
    kept.reduce((a, i) => a + (widths[i] ?? 0), 0) + gap * Math.max(0, kept.length - 1);
  if (width !== undefined) {
    // 1. shorten the shrinkable columns, widest first, one character at a time.
    for (;;) {
      if (total() <= width) break;
      const candidates = kept.filter((i) => {
        const min = columns[i]?.shrink;
        return min !== undefined && (widths[i] ?? 0) > min;
      });
      if (candidates.length === 0) break;
      const widest = candidates.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a));
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
    // 2. drop columns in their order.
    const order = kept
      .filter((i) => columns[i]?.drop !== undefined)
      .sort((a, b) => (columns[a]?.drop ?? 0) - (columns[b]?.drop ?? 0));
    for (const i of order) {
      if (total() <= width) break;
      kept = kept.filter((k) => k !== i);
    }
  }
  return {
    kept,
    widths: kept.map((i) => widths[i] ?? 0),
    dropped: columns.filter((_, i) => !kept.includes(i)).map((c) => c.head),
  };
}

/** Header and rows as aligned lines that fit `width` (undefined: natural width, e.g. --wide). */
export function renderTable(
  columns: Column[],
  rows: string[][],
  opts: { width?: number; paint?: (row: number, col: number, text: string) => string } = {},
): { lines: string[]; dropped: string[] } {
  const all = [columns.map((c) => c.head), ...rows];
  const natural = columns.map((_, ci) => Math.max(...all.map((r) => len(r[ci] ?? ''))));
  const fit = fitColumns(columns, natural, opts.width);
  const lines = all.map((r, ri) =>
    fit.kept
      .map((ci, k) => {
        const w = fit.widths[k] ?? 0;
        const cell = shortenMiddle(r[ci] ?? '', w);
        const pad = ' '.repeat(Math.max(0, w - len(cell)));
        const padded = columns[ci]?.align === 'right' ? pad + cell : cell + pad;
        return opts.paint ? opts.paint(ri, ci, padded) : padded;
      })
      .join(' '.repeat(gap))
      .trimEnd(),
  );
  return { lines, dropped: fit.dropped };
}

/** The note under a table that lost columns. */
export function droppedNote(dropped: string[]): string | undefined {
  return dropped.length
    ? `(${dropped.join(', ')} hidden to fit the terminal: --wide shows every column)`
    : undefined;
}

/** The width tables fit on stdout: the terminal's columns; none (full width) for --wide or a pipe. */
export function tableWidth(
  wide: boolean | undefined,
  stream: NodeJS.WriteStream = process.stdout,
): number | undefined {
  if (wide || !stream.isTTY) return undefined;
  return typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
}
