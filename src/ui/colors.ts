import type { ChalkInstance } from 'chalk';

/**
 * The one place that decides about colour. chalk 5 ignores NO_COLOR by itself (chalk/chalk#547),
 * so we gate it here: NO_COLOR, --no-color, --json and non-TTY output. chalk is loaded only when
 * colour is actually on: start-up of `--help`, pipes, CI and tests never pay for it.
 */

/** Stands in for chalk when colour is off: any style chain returns the text unchanged. */
const plain: ChalkInstance = new Proxy(() => undefined, {
  get: () => plain,
  apply: (_t, _this, args: unknown[]) => args.join(' '),
}) as unknown as ChalkInstance;

let instance: ChalkInstance = plain;

export async function configureColor(opts: {
  color?: boolean;
  json?: boolean;
  stream?: NodeJS.WriteStream;
}): Promise<void> {
  const stream = opts.stream ?? process.stdout;
  const noColorEnv = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  // FORCE_COLOR (the convention chalk and most CLIs follow) turns colour on for pipes, e.g. CI
  // logs that render ANSI; FORCE_COLOR=0 turns it off. --no-color, --json and NO_COLOR still win.
  const force = process.env.FORCE_COLOR;
  const forced = force !== undefined && force !== '' ? force !== '0' && force !== 'false' : undefined;
  const enabled =
    opts.color !== false &&
    !opts.json &&
    !noColorEnv &&
    (forced ?? (Boolean(stream.isTTY) && process.env.TERM !== 'dumb'));
  if (!enabled) {
    instance = plain;
    return;
  }
  const { Chalk } = await import('chalk');
  instance = new Chalk({ level: 1 });
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
