import { color, symbols } from './colors.js';

/** stderr carries everything that is not a result: warnings, progress, errors. */
export function printWarning(message: string): void {
  process.stderr.write(`${color().yellow(`${symbols.warn} ${message}`)}\n`);
}

export function printError(message: string, hint?: string): void {
  process.stderr.write(`${color().red(`${symbols.fail} ${message}`)}\n`);
  if (hint) process.stderr.write(`  hint: ${hint}\n`);
}

export function printProgress(line: string): void {
  if (quiet) return;
  process.stderr.write(line);
}

export function writeStdout(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
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
