import { parseChoice as choice, parseDuration as duration, parseInteger } from '../../options.js';

/** queues' flag values → typed options, through the shared parsers of src/options.ts (exit 2 on a bad value). */

export { collect } from '../../options.js';

/** --grace: "500ms", "30s", "15m", "1h", "7d", or a bare number of milliseconds (as BullMQ's clean takes). */
export function parseDuration(value: string, flag = '--grace'): number {
  return duration(value, flag, { bare: 'ms', min: 0 });
}

/** --max-waiting-age: a duration, bare numbers are seconds; returns seconds. */
export function parseAgeSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  return duration(value, flag, { bare: 's', min: 0 }) / 1000;
}

export function parseCount(value: string | undefined, flag: string): number | undefined {
  return parseInteger(value, flag);
}

export function parsePositive(value: string | undefined, flag: string): number | undefined {
  return parseInteger(value, flag, { min: 1 });
}

/** A job state; `wait` is BullMQ's key name for waiting. */
export function parseChoice<T extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly T[],
): T | undefined {
  return choice(value, flag, choices, { wait: 'waiting' as T });
}
