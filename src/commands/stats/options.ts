import { patternBytes } from '../../redis/byte-args.js';
import { usageError } from '../../errors.js';
import type { StatsFlags, StatsMode } from './types.js';

// Raw commander flags of `stats` (strings as typed) → validated options. Pure.

function positiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw usageError(`${flag} must be a whole number ≥ 1, got "${value}"`, `e.g. ${flag} 10`);
  return Number(value);
}

const keysOnly: Array<[keyof StatsFlags, string]> = [
  ['delimiter', '--delimiter'],
  ['depth', '--depth'],
  ['match', '--match'],
  ['top', '--top'],
  ['sample', '--sample'],
];

export function parseStatsFlags(flags: StatsFlags): StatsMode {
  if (flags.keys && flags.watch !== undefined)
    throw usageError('--keys and --watch cannot be combined', 'run one, then the other');
  if (flags.count !== undefined && flags.watch === undefined)
    throw usageError('--count needs --watch', 'e.g. redis-ops stats --watch 1 --count 10');
  if (!flags.keys) {
    const stray = keysOnly.find(([k]) => flags[k] !== undefined);
    if (stray) throw usageError(`${stray[1]} needs --keys`, `e.g. redis-ops stats --keys ${stray[1]} ...`);
  }
  if (flags.watch !== undefined) {
    let seconds = 1;
    if (typeof flags.watch === 'string') {
      seconds = Number(flags.watch);
      if (!/^\d*\.?\d+$/.test(flags.watch.trim()) || !(seconds >= 0.1) || seconds > 3600) {
        throw usageError(
          `--watch takes an interval in seconds (0.1 to 3600), got "${flags.watch}"`,
          'e.g. --watch 2',
        );
      }
    }
    const count = flags.count === undefined ? undefined : positiveInt(flags.count, '--count');
    return { kind: 'watch', intervalMs: Math.round(seconds * 1000), count };
  }
  if (flags.keys) {
    const delimiter = flags.delimiter ?? ':';
    if (delimiter === '')
      throw usageError('--delimiter cannot be empty', 'e.g. --delimiter : or --delimiter /');
    // \xNN escapes and U+FFFD are checked here, so a bad --match is a usage error before connecting.
    if (flags.match !== undefined) patternBytes(flags.match);
    return {
      kind: 'keys',
      delimiter,
      depth: flags.depth === undefined ? 1 : positiveInt(flags.depth, '--depth'),
      match: flags.match,
      top: flags.top === undefined ? 10 : positiveInt(flags.top, '--top'),
      sample: flags.sample === undefined ? undefined : positiveInt(flags.sample, '--sample'),
    };
  }
  return { kind: 'snapshot' };
}
