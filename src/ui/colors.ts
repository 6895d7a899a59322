import { Chalk, type ChalkInstance } from 'chalk';

/**
 * The one place that decides about colour. chalk 5 ignores NO_COLOR by itself
 * (chalk/chalk#547), so we gate it here: NO_COLOR, --no-color, --json and non-TTY output.
 */
let instance: ChalkInstance = new Chalk({ level: 0 });

export function configureColor(opts: { color?: boolean; json?: boolean; stream?: NodeJS.WriteStream }): void {
  const stream = opts.stream ?? process.stdout;
  const noColorEnv = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const enabled = opts.color !== false && !opts.json && !noColorEnv && Boolean(stream.isTTY) && process.env.TERM !== 'dumb';
  instance = new Chalk({ level: enabled ? 1 : 0 });
}

export function color(): ChalkInstance {
  return instance;
}

export const symbols = {
  pass: '✔',
  warn: '⚠',
  fail: '✖',
  skip: '-',
  info: 'ℹ',
} as const;
