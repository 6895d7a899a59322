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
  /** Shorten the widest shrinkable column one character at a time, down to max(floor, its minimum). */
  const shrink = (floor: number): void => {
    if (width === undefined) return;
    while (total() > width) {
      const candidates = kept.filter((i) => {
        const min = columns[i]?.shrink;
        return min !== undefined && (widths[i] ?? 0) > Math.max(min, floor);
      });
      if (candidates.length === 0) return;
      const widest = candidates.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a));
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  if (width !== undefined) {
    // Shorten names to a readable 20 first, then drop the least read columns, and only then
    // shorten names further: a narrow terminal keeps a name you can recognise.
    shrink(20);
    const order = kept
      .filter((i) => columns[i]?.drop !== undefined)
      .sort((a, b) => (columns[a]?.drop ?? 0) - (columns[b]?.drop ?? 0));
    for (const i of order) {
      if (total() <= width) break;
      kept = kept.filter((k) => k !== i);
    }
    shrink(0);
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
  return dropped.length ? `(${dropped.join(', ')} hidden to fit the terminal: --wide shows all)` : undefined;
}

/** The width tables fit on stdout: the terminal's columns; none (full width) for --wide or a pipe. */
export function tableWidth(
  wide: boolean | undefined,
  stream: NodeJS.WriteStream = process.stdout,
): number | undefined {
  if (wide || !stream.isTTY) return undefined;
  return typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
}

/** Greedy word wrap to `width` characters (plain text: wrap before colouring); a longer word stands alone. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === '') line = word;
    else if (len(line) + 1 + len(word) <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
  }
  out.push(line);
  return out;
}

/**
 * Natural column widths cut down to fit a bordered cli-table3 table (1 space of padding each
 * side, a border between columns) into `width`; cells are then shortened in the middle.
 */
export function fitGrid(head: string[], rows: string[][], width: number | undefined): string[][] {
  if (width === undefined) return rows;
  const all = [head, ...rows];
  const natural = head.map((_, ci) => Math.max(...all.map((r) => len(r[ci] ?? ''))));
  const columns: Column[] = head.map((h) => ({ head: h, align: 'left', shrink: Math.max(len(h), 6) }));
  const chrome = 3 * head.length + 1 - gap * (head.length - 1);
  const fit = fitColumns(columns, natural, width - chrome);
  return rows.map((r) => r.map((cell, ci) => shortenMiddle(cell, fit.widths[ci] ?? len(cell))));
}
