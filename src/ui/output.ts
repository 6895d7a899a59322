import { color, symbols } from './colors.js';

/** stderr carries everything that is not a result: warnings, progress, errors. */
export function printWarning(message: string): void {
  process.stderr.write(`${fitTerminal(color().yellow(`${symbols.warn} ${message}`), process.stderr)}\n`);
}

export function printError(message: string, hint?: string): void {
  process.stderr.write(`${fitTerminal(color().red(`${symbols.fail} ${message}`), process.stderr)}\n`);
  if (hint) process.stderr.write(`${fitTerminal(`  hint: ${hint}`, process.stderr)}\n`);
}

export function printProgress(line: string): void {
  if (quiet) return;
  process.stderr.write(line);
}

export function writeStdout(text: string): void {
  const fitted = fitTerminal(text, process.stdout);
  process.stdout.write(fitted.endsWith('\n') ? fitted : `${fitted}\n`);
}

// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;
const visible = (s: string): number => [...s.replace(ansi, '')].length;

/**
 * On a terminal, a line longer than its width is wrapped at spaces here, with its continuation
 * indented under the line's own text (`  hint: ` lines under the hint), rather than by the
 * terminal at column 0. Tables fit already (src/ui/table.ts); pipes and files are never changed.
 */
export function fitTerminal(text: string, stream: NodeJS.WriteStream): string {
  if (!stream.isTTY) return text;
  const width = typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
  return text
    .split('\n')
    .map((line) => (visible(line) <= width ? line : wrapLine(line, width)))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  const lead = /^\s*/.exec(line)?.[0] ?? '';
  const hint = /^\s*hint: /.exec(line)?.[0];
  const indent = ' '.repeat(Math.min((hint ?? lead).length + (hint ? 0 : 2), Math.floor(width / 2)));
  const out: string[] = [];
  let cur = lead;
  let curLen = lead.length;
  for (const word of line.slice(lead.length).split(' ')) {
    const w = visible(word);
    if (curLen > indent.length && curLen + 1 + w > width && cur.trim() !== '') {
      out.push(cur);
      cur = indent + word;
      curLen = indent.length + w;
    } else {
      const sep = cur.trim() === '' && curLen === cur.length ? '' : ' ';
      cur += sep + word;
      curLen += sep.length + w;
    }
  }
  out.push(cur);
  return out.join('\n');
}

/** The width tables fit on stdout: the terminal's columns; none (full width) for --wide or a pipe. */
export function tableWidth(
  wide: boolean | undefined,
  stream: NodeJS.WriteStream = process.stdout,
): number | undefined {
  if (wide || !stream.isTTY) return undefined;
  return typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A note about how the run was set up (the file read, the default target): stderr, muted by --quiet. */
export function printNote(message: string): void {
  if (quiet) return;
  process.stderr.write(`${message}\n`);
}

let quiet = false;
/** --quiet: results only (stdout and errors); notes, warnings and progress are not written. */
export function setQuiet(on: boolean): void {
  quiet = on;
}
