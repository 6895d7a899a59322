import { usageError } from '../../errors.js';
import { parseDuration as duration, parseInteger, parseSize as size } from '../../options.js';

/** `stats --hits` flags (strings as typed) → validated options. Pure. */
export interface HitsFlags {
  hits?: boolean | string;
  watch?: boolean | string;
  count?: string;
  delimiter?: string;
  depth?: string;
  match?: string;
  top?: string;
  sample?: string;
  keys?: boolean;
  enableKeymiss?: boolean;
  maxOps?: string;
  maxBuffer?: string;
  minHitRatio?: string[];
}

export interface HitGate {
  /** The namespace prefix as printed (`feature-flag:`); undefined for the global ratio. */
  prefix?: string;
  min: number;
}

export interface HitsMode {
  kind: 'hits';
  durationMs: number;
  intervalMs?: number;
  maxOps?: number;
  maxBufferBytes: number;
  enableKeymiss: boolean;
  gates: HitGate[];
  delimiter: string;
  depth: number;
  match?: string;
  top: number;
}

export const defaultHitsMs = 10_000;
export const maxHitsMs = 300_000;
export const defaultMaxBuffer = 32 * 1024 * 1024;

/** `10`, `10s`, `1.5m`, `500ms` → milliseconds (bare: seconds), the one duration syntax (src/options.ts). */
export function parseDuration(value: string, flag: string, min?: number, max?: number): number {
  return duration(value, flag, { bare: 's', min, max });
}

/** `32mb`, `32MiB`, `512k`, `1048576` → bytes (powers of 1024), through src/options.ts. */
export function parseSize(value: string, flag: string): number {
  return size(value, flag);
}

/** `feature-flag:=0.95` (a namespace) or `0.95` (the global ratio); `95%` works too. */
export function parseGate(spec: string): HitGate {
  const eq = spec.lastIndexOf('=');
  const prefix = eq < 0 ? undefined : spec.slice(0, eq);
  const raw = (eq < 0 ? spec : spec.slice(eq + 1)).trim();
  const pct = raw.endsWith('%');
  const n = Number(pct ? raw.slice(0, -1) : raw);
  const min = pct ? n / 100 : n;
  if (raw === '' || !Number.isFinite(n) || min < 0 || min > 1 || prefix === '')
    throw usageError(
      `invalid --min-hit-ratio: ${spec}`,
      "give <namespace>=<ratio> or a ratio for the whole server, e.g. --min-hit-ratio 'feature-flag:=0.95' or --min-hit-ratio 0.8",
    );
  return { prefix, min };
}

function positiveInt(value: string, flag: string): number {
  return parseInteger(value, flag, { min: 1 }) as number;
}

export function parseHitsFlags(flags: HitsFlags): HitsMode {
  if (flags.keys) throw usageError('--hits and --keys cannot be combined', 'run one, then the other');
  if (flags.sample !== undefined)
    throw usageError(
      '--sample is for --keys',
      '--hits samples traffic for a time: redis-ops stats --hits 30',
    );
  if (flags.count !== undefined)
    throw usageError(
      '--count does not apply to --hits',
      'the duration bounds the sample: --hits 60 --watch 5',
    );
  // MONITOR costs the server: samples are kept short (0.5 s to 5 min).
  const durationMs =
    typeof flags.hits === 'string' ? parseDuration(flags.hits, '--hits', 500, maxHitsMs) : defaultHitsMs;
  let intervalMs: number | undefined;
  if (flags.watch !== undefined)
    intervalMs = typeof flags.watch === 'string' ? parseDuration(flags.watch, '--watch', 100) : 1000;
  const delimiter = flags.delimiter ?? ':';
  if (delimiter === '')
    throw usageError('--delimiter cannot be empty', 'e.g. --delimiter : or --delimiter /');
  return {
    kind: 'hits',
    durationMs,
    intervalMs,
    maxOps: flags.maxOps === undefined ? undefined : positiveInt(flags.maxOps, '--max-ops'),
    maxBufferBytes:
      flags.maxBuffer === undefined ? defaultMaxBuffer : parseSize(flags.maxBuffer, '--max-buffer'),
    enableKeymiss: Boolean(flags.enableKeymiss),
    gates: (flags.minHitRatio ?? []).map(parseGate),
    delimiter,
    depth: flags.depth === undefined ? 1 : positiveInt(flags.depth, '--depth'),
    match: flags.match,
    top: flags.top === undefined ? 5 : positiveInt(flags.top, '--top'),
  };
}

/** Flags that only mean something with --hits. */
export const hitsOnly: Array<[keyof HitsFlags, string]> = [
  ['enableKeymiss', '--enable-keymiss'],
  ['maxOps', '--max-ops'],
  ['maxBuffer', '--max-buffer'],
];
