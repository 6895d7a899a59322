import { shortenMiddle } from './live.js';
import { displayWidth as len } from './width.js';

/**
 * The one table engine: queues, stats (its sections, --keys, --hits, --watch rows), doctor.
 * Two styles over one layout: `plain` (columns two spaces apart, for tables that are read like
 * a report and copied into tickets) and `boxed` (a frame, no lines between rows). A table fits
 * a width: long cells marked `shrink` are shortened in the middle first (`user:…:profile`),
 * then columns are dropped in their `drop` order; `--wide` passes no width. Widths are terminal
 * columns (src/ui/width.ts). Cells are plain text; `paint` may colour a padded cell afterwards.
 *
 * Hand-written rather than cli-table3 (which drew the boxed stats tables before): cli-table3's
 * layout is quadratic in the rows, 1.0 s for 1,000 rows and 54 s for 10,000 (9 columns, Node 20,
 * on a loaded 2-core machine), and `queues` lists every queue of a server with 10,000 of them.
 */
export type Align = 'left' | 'right';
export type TableStyle = 'plain' | 'boxed';

export interface Column {
  head: string;
  align: Align;
  /** Dropped when the table is too wide: lower numbers go first; undefined: always kept. */
  drop?: number;
  /** May be shortened in the middle down to this many columns. */
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

/** What a style adds around the cells: between two columns, and at both edges together. */
const chrome: Record<TableStyle, { between: number; edges: number }> = {
  plain: { between: 2, edges: 0 },
  boxed: { between: 3, edges: 4 }, // "│ " … " │ " … " │"
};

/** Which columns to keep and how wide, given each column's natural width. */
export function fitColumns(
  columns: Column[],
  natural: number[],
  width?: number,
  style: TableStyle = 'plain',
): FitResult {
  const widths = [...natural];
  let kept = columns.map((_, i) => i);
  const { between, edges } = chrome[style];
  const total = (): number =>
    kept.reduce((a, i) => a + (widths[i] ?? 0), 0) + between * Math.max(0, kept.length - 1) + edges;
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

/**
 * Header and rows as lines that fit `width` (undefined: natural width, e.g. --wide). `head:
 * false` draws the rows only (label/value sections); `paint(row, col, text)` gets row 0 for the
 * header when there is one.
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  opts: {
    width?: number;
    style?: TableStyle;
    head?: boolean;
    paint?: (row: number, col: number, text: string) => string;
  } = {},
): { lines: string[]; dropped: string[] } {
  const style = opts.style ?? 'plain';
  const all = opts.head === false ? rows : [columns.map((c) => c.head), ...rows];
  const natural = columns.map((_, ci) => Math.max(0, ...all.map((r) => len(r[ci] ?? ''))));
  const fit = fitColumns(columns, natural, opts.width, style);
  const cells = all.map((r, ri) =>
    fit.kept.map((ci, k) => {
      const w = fit.widths[k] ?? 0;
      const text = r[ci] ?? '';
      const cell = len(text) > w ? shortenMiddle(text, w) : text;
      const pad = ' '.repeat(Math.max(0, w - len(cell)));
      const padded = columns[ci]?.align === 'right' ? pad + cell : cell + pad;
      return opts.paint ? opts.paint(ri, ci, padded) : padded;
    }),
  );
  if (style === 'plain') return { lines: cells.map((r) => r.join('  ').trimEnd()), dropped: fit.dropped };
  const rule = (left: string, mid: string, right: string): string =>
    `${left}${fit.widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`;
  const lines = [rule('┌', '┬', '┐'), ...cells.map((r) => `│ ${r.join(' │ ')} │`), rule('└', '┴', '┘')];
  return { lines, dropped: fit.dropped };
}

/** Label/value rows without a frame: `memory     1.2 GiB of 4 GiB` (stats sections). */
export function sectionTable(rows: Array<[string, string]>): string {
  const columns: Column[] = [
    { head: '', align: 'left' },
    { head: '', align: 'left' },
  ];
  return renderTable(columns, rows, { head: false }).lines.join('\n');
}

/**
 * A boxed table without lines between rows; `aligns` marks the numeric (right) columns. Fits
 * `width` by shortening cells in the middle (never below their header, nor 6 columns).
 */
export function gridTable(head: string[], rows: string[][], aligns: Align[], width?: number): string {
  const columns: Column[] = head.map((h, i) => ({
    head: h,
    align: aligns[i] ?? 'left',
    shrink: Math.max(len(h), 6),
  }));
  return renderTable(columns, rows, { width, style: 'boxed' }).lines.join('\n');
}

/** The note under a table that lost columns. */
export function droppedNote(dropped: string[]): string | undefined {
  return dropped.length ? `(${dropped.join(', ')} hidden to fit the terminal: --wide shows all)` : undefined;
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
