import { printProgress } from './output.js';
import { formatCount, formatDuration } from './format.js';
import { charWidth, displayWidth } from './width.js';

/**
 * The one live progress line on stderr. Every redraw is cut to the terminal width: a line wider
 * than the terminal wraps, and `\r\x1b[K` then clears only the last row, leaving the rest of the
 * old line on screen at every redraw (seen at 60 columns on a 3-node cluster). On Ctrl-C the
 * line is finished with a newline and says "interrupted" (signals.ts calls interruptLive()).
 */
let current: { text: string; stream: NodeJS.WriteStream } | undefined;

/** Columns of the terminal; 80 when unknown (not a terminal, or a pty that says 0). */
export function terminalWidth(stream: NodeJS.WriteStream = process.stderr): number {
  const cols = stream.columns;
  return typeof cols === 'number' && cols > 0 ? cols : 80;
}

/** The longest start of `chars` that takes at most `width` columns. */
function headOf(chars: string[], width: number): string[] {
  const out: string[] = [];
  let w = 0;
  for (const ch of chars) {
    w += charWidth(ch);
    if (w > width) break;
    out.push(ch);
  }
  return out;
}

/** Cut text to at most `width` columns (src/ui/width.ts), ending in … when cut. */
export function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const chars = [...text];
  if (width <= 1) return headOf(chars, width).join('');
  return `${headOf(chars, width - 1).join('')}…`;
}

/**
 * `user:1234567:profile` → `user:…:profile`: keep both ends, the parts people read, within `max`
 * columns. Only for display (tables, samples): what is matched or deleted uses the full name.
 */
export function shortenMiddle(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  const chars = [...text];
  if (max <= 3) return headOf(chars, max).join('');
  const tail = Math.floor((max - 1) / 2);
  const head = max - 1 - tail;
  return `${headOf(chars, head).join('')}…${headOf(chars.reverse(), tail).reverse().join('')}`;
}

/**
 * Room for a live line: one column short of the width (some terminals wrap when the last column
 * is written) and two more for the `^C` a terminal echoes on Ctrl-C: a full-width line plus
 * that echo wraps, and the redraw after it would clear only the second row (seen in tmux).
 */
export function liveWidth(stream: NodeJS.WriteStream = process.stderr): number {
  return Math.max(1, terminalWidth(stream) - 3);
}

export function drawLive(text: string, stream: NodeJS.WriteStream = process.stderr): void {
  const line = fit(text, liveWidth(stream));
  current = { text, stream };
  printProgress(`\r\x1b[K${line}`);
}

export function clearLive(): void {
  if (!current) return;
  current = undefined;
  printProgress('\r\x1b[K');
}

/** Ctrl-C: finish the line (never leave it half-drawn under the shell prompt) and say so. false: no line. */
export function interruptLive(): boolean {
  if (!current) return false;
  const { text, stream } = current;
  current = undefined;
  // The text gives way, not the word: a long line keeps " · interrupted" at its end.
  const tail = ' · interrupted';
  stream.write(`\r\x1b[K${fit(text, Math.max(1, liveWidth(stream) - tail.length))}${tail}\n`);
  return true;
}

/**
 * Where the total is known: `[████░░░░░░]  42% · 12,400/30,000 · 8,100 keys/s · ETA 2s`. The bar
 * takes what room is left (at most 30 columns) so the figures survive a narrow terminal.
 */
export function barLine(opts: {
  label: string;
  done: number;
  total: number;
  elapsedMs: number;
  unit: string;
  width: number;
}): string {
  const ratio = opts.total > 0 ? Math.min(1, opts.done / opts.total) : 0;
  const rate = opts.done / Math.max(opts.elapsedMs / 1000, 0.001);
  const eta = rate > 0 && opts.done < opts.total ? formatDuration((opts.total - opts.done) / rate) : '0s';
  const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
  const figures = `${pct} · ${formatCount(opts.done)}/${formatCount(opts.total)} · ${formatCount(Math.round(rate))} ${opts.unit}/s · ETA ${eta}`;
  const room = opts.width - 3 - opts.label.length - figures.length - 4; // liveWidth's margin
  const size = Math.min(30, room);
  if (size < 5) return `${opts.label} ${figures}`;
  const full = Math.round(ratio * size);
  return `${opts.label} [${'█'.repeat(full)}${'░'.repeat(size - full)}] ${figures}`;
}
