import { usageError } from '../../errors.js';

/** Flag values → typed options; every bad value is a usage error with a hint (exit 2). */

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "500ms", "30s", "15m", "1h", "7d", or a bare number of milliseconds (as BullMQ's clean takes). */
export function parseDuration(value: string, flag = '--grace'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!m)
    throw usageError(
      `invalid ${flag}: ${value}`,
      `give a duration such as 30s, 15m, 1h, 7d (a bare number is milliseconds)`,
    );
  return Math.round(Number(m[1]) * (units[m[2] ?? 'ms'] as number));
}

export function parseCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw usageError(`invalid ${flag}: ${value}`, `give a whole number ≥ 0, e.g. ${flag} 10`);
  return Number(value);
}

export function parsePositive(value: string | undefined, flag: string): number | undefined {
  const n = parseCount(value, flag);
  if (n === 0) throw usageError(`invalid ${flag}: 0`, `give a whole number ≥ 1`);
  return n;
}

export function parseChoice<T extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const v = value === 'wait' ? 'waiting' : value;
  if (!(choices as readonly string[]).includes(v))
    throw usageError(`invalid ${flag}: ${value}`, `one of: ${choices.join(', ')}`);
  return v as T;
}

/** Commander collector for repeatable flags (--prefix a --prefix b). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
