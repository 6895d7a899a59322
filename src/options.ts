import { usageError } from './errors.js';

/**
 * The one place that turns flag text into values. Every command's flags go through these, so
 * the same mistake always reads the same way: `invalid --flag: value` and a hint with an example.
 * Pure: the argv → options table test (test/unit/cli-options.test.ts) runs them without Redis.
 */

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export type BareUnit = 'ms' | 's';

/**
 * One duration syntax for every flag: `500ms`, `30s`, `15m`, `2h`, `7d`, or a bare number in the
 * flag's documented unit (`bare`: milliseconds for --timeout and --grace, seconds for --wait and
 * --max-waiting-age, as they always took). Returns milliseconds.
 */
export function parseDuration(
  value: string,
  flag: string,
  opts: { bare: BareUnit; min?: number; max?: number },
): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?$/i.exec(value.trim());
  const example =
    opts.bare === 's' ? `${flag} 30 (seconds) or ${flag} 2m` : `${flag} 5000 (ms) or ${flag} 5s`;
  if (!m) throw usageError(`invalid ${flag}: ${value}`, `give a duration: 30s, 15m, 2h, 7d; e.g. ${example}`);
  const ms = Math.round(Number(m[1]) * (units[(m[2] ?? opts.bare).toLowerCase()] as number));
  if ((opts.min !== undefined && ms < opts.min) || (opts.max !== undefined && ms > opts.max)) {
    throw usageError(
      `invalid ${flag}: ${value}`,
      `give a duration from ${showMs(opts.min ?? 0)} to ${opts.max === undefined ? 'any' : showMs(opts.max)}, e.g. ${example}`,
    );
  }
  return ms;
}

function showMs(ms: number): string {
  if (ms === 0) return '0';
  for (const [u, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${u}`;
  return `${ms}ms`;
}

/** A whole number ≥ min (default 0). */
export function parseInteger(
  value: string | undefined,
  flag: string,
  opts: { min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const min = opts.min ?? 0;
  const n = Number(value);
  if (
    !/^\d+$/.test(value.trim()) ||
    !Number.isSafeInteger(n) ||
    n < min ||
    (opts.max !== undefined && n > opts.max)
  ) {
    const range = opts.max !== undefined ? `from ${min} to ${opts.max}` : `≥ ${min}`;
    throw usageError(
      `invalid ${flag}: ${value}`,
      `give a whole number ${range}, e.g. ${flag} ${Math.max(min, 10)}`,
    );
  }
  return n;
}

const sizeUnits: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A size in bytes: `1048576`, `512k`, `32mb`, `32MiB`, `1g` (powers of 1024, as redis.conf reads them). */
export function parseSize(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim());
  if (!m || Number(m[1]) <= 0)
    throw usageError(
      `invalid ${flag}: ${value}`,
      `give a size: bytes, or 512KiB, 32MiB, 1GiB; e.g. ${flag} 32MiB`,
    );
  return Math.round(Number(m[1]) * (sizeUnits[(m[2] ?? 'b').toLowerCase()[0] as string] as number));
}

/** A number ≥ 0, at most max. */
export function parseNumber(value: string | undefined, flag: string, max?: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (max !== undefined && n > max))
    throw usageError(
      `invalid ${flag}: ${value}`,
      max !== undefined ? `give a number from 0 to ${max}` : 'give a number ≥ 0',
    );
  return n;
}

export function parseChoice<T extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly T[],
  aliases: Record<string, T> = {},
): T | undefined {
  if (value === undefined) return undefined;
  const v = aliases[value] ?? value;
  if ((choices as readonly string[]).includes(v)) return v as T;
  const near = closest(value, choices);
  throw usageError(
    `invalid ${flag}: ${value}`,
    `${near ? `did you mean ${near}? ` : ''}one of: ${choices.join(', ')}`,
  );
}

/** Commander collector for repeatable flags (--prefix a --prefix b). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Edit distance (Damerau: a swap is one edit), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  return at(a.length, b.length);
}

/** The candidate nearest to a typo, when it is near enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}
