import { formatBytes, formatPercent, formatRate } from '../../ui/format.js';
import { fit } from '../../ui/live.js';
import { sparklineRange as sparkline } from '../../ui/sparkline.js';
import type { WindowRow } from './window.js';

/**
 * `stats --watch` on a terminal: sparklines of ops/s, hit ratio and memory over the last rows,
 * redrawn under the newest row. Pure: the lines to draw, each shorter than the terminal (a line
 * that wraps would make the redraw's cursor-up miss a row and leave the old panel on screen).
 */
/** The most rows a sparkline keeps (and shows, where the terminal is wide enough). */
export const sparkHistory = 60;

const label = 8;
const value = 11;

/** Three lines (ops/s, hit ratio, memory) for the last rows, fitting `width` columns. */
export function renderSparks(rows: WindowRow[], width: number): string[] {
  const room = Math.max(4, Math.min(sparkHistory, width - 1 - label - value - 2));
  const last = rows.slice(-room);
  const now = last[last.length - 1];
  const line = (name: string, spark: string, figure: string): string =>
    fit(`${name.padEnd(label)}${spark.padEnd(room)}  ${figure.padStart(value)}`.trimEnd(), width - 1);
  return [
    line(
      'ops/s',
      sparkline(
        last.map((r) => r.opsPerSec),
        0,
      ),
      now ? formatRate(now.opsPerSec, '/s') : '',
    ),
    line('hits', sparkline(last.map((r) => r.hitRatio)), now ? formatPercent(now.hitRatio, '-') : ''),
    line('memory', sparkline(last.map((r) => r.usedMemory)), now ? formatBytes(now.usedMemory) : ''),
  ];
}

/** Redraws the panel under the rows on a terminal: erase it, print what scrolls, draw it again. */
export class SparkPanel {
  private readonly rows: WindowRow[] = [];
  private drawn = 0;

  /** `cut`: shorten the printed lines to the width too (not with --wide: those may wrap). */
  constructor(
    private readonly width: number,
    private readonly write: (text: string) => void,
    private readonly cut = true,
  ) {}

  /** Print lines above the panel (a row, a failover note) and redraw the panel under them. */
  print(lines: string, row?: WindowRow): void {
    if (row) {
      this.rows.push(row);
      if (this.rows.length > sparkHistory) this.rows.shift();
    }
    // Cursor up to the panel's first line, clear to the end of the screen.
    const erase = this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[J` : '';
    const fitted = this.cut
      ? lines
          .split('\n')
          .map((l) => fit(l, this.width))
          .join('\n')
      : lines;
    const panel = this.rows.length > 0 ? renderSparks(this.rows, this.width) : [];
    this.drawn = panel.length;
    this.write(`${erase}${fitted}\n${panel.map((l) => `${l}\n`).join('')}`);
  }
}
