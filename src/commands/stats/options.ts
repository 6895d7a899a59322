import { patternBytes } from '../../redis/byte-args.js';
import { usageError } from '../../errors.js';
import { hitsOnly, parseHitsFlags } from './hits-options.js';
import { parseDuration, parseInteger } from '../../options.js';
import type { StatsFlags, StatsMode, StatsSection } from './types.js';

// Raw commander flags of `stats` (strings as typed) → validated options. Pure.

function positiveInt(value: string, flag: string): number {
  return parseInteger(value, flag, { min: 1 }) as number;
}

const keysOnly: Array<[keyof StatsFlags, string]> = [
  ['delimiter', '--delimiter'],
  ['depth', '--depth'],
  ['match', '--match'],
  ['top', '--top'],
  ['sample', '--sample'],
  ['hot', '--hot'],
];

export const sectionNames: StatsSection[] = ['commands', 'errors', 'clients'];

/** `--section commands --section errors,clients` → ['commands', 'errors', 'clients'] (no repeats). */
export function parseSections(values: string[]): StatsSection[] {
  const out: StatsSection[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const known = sectionNames.find((s) => s === name);
    if (!known) {
      const near = sectionNames.find((s) => s.startsWith(name.slice(0, 3)));
      throw usageError(
        `unknown --section "${raw.trim()}"`,
        near
          ? `did you mean --section ${near}? (one of ${sectionNames.join(', ')})`
          : `one of ${sectionNames.join(', ')}`,
      );
    }
    if (!out.includes(known)) out.push(known);
  }
  if (out.length === 0) throw usageError('--section needs a name', `one of ${sectionNames.join(', ')}`);
  return out;
}

export function parseStatsFlags(flags: StatsFlags): StatsMode {
  if (flags.hits !== undefined) {
    if (flags.section !== undefined || flags.hot)
      throw usageError(
        `${flags.hot ? '--hot' : '--section'} cannot be combined with --hits`,
        flags.hot ? 'e.g. redis-ops stats --keys --hot' : 'e.g. redis-ops stats --section commands',
      );
    return parseHitsFlags(flags);
  }
  const strayHits = hitsOnly.find(([k]) => flags[k] !== undefined);
  if (strayHits || (flags.minHitRatio?.length ?? 0) > 0)
    throw usageError(
      `${strayHits?.[1] ?? '--min-hit-ratio'} needs --hits`,
      'e.g. redis-ops stats --hits 30 ...',
    );
  if (flags.keys && flags.watch !== undefined)
    throw usageError('--keys and --watch cannot be combined', 'run one, then the other');
  if (flags.count !== undefined && flags.watch === undefined)
    throw usageError('--count needs --watch', 'e.g. redis-ops stats --watch 1 --count 10');
  const sections = flags.section === undefined ? undefined : parseSections(flags.section);
  if (sections && (flags.keys || flags.watch !== undefined))
    throw usageError(
      `--section adds to the snapshot; it cannot be combined with ${flags.keys ? '--keys' : '--watch'}`,
      'e.g. redis-ops stats --section commands,errors',
    );
  if (!flags.keys) {
    // --top also bounds the --section tables.
    const stray = keysOnly.find(([k]) => flags[k] !== undefined && !(sections && k === 'top'));
    if (stray) throw usageError(`${stray[1]} needs --keys`, `e.g. redis-ops stats --keys ${stray[1]} ...`);
  }
  if (flags.watch !== undefined) {
    const intervalMs =
      typeof flags.watch === 'string'
        ? parseDuration(flags.watch, '--watch', { bare: 's', min: 100, max: 3_600_000 })
        : 1000;
    const count = flags.count === undefined ? undefined : positiveInt(flags.count, '--count');
    return { kind: 'watch', intervalMs, count };
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
      hot: flags.hot ? true : undefined,
    };
  }
  if (sections)
    return {
      kind: 'snapshot',
      sections,
      top: flags.top === undefined ? 10 : positiveInt(flags.top, '--top'),
    };
  return { kind: 'snapshot' };
}
