import { usageError } from '../../errors.js';

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

/** `10`, `10s`, `1.5m`, `500ms` → milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(value.trim());
  if (!m)
    throw usageError(`${flag} takes a duration (seconds, or 30s, 2m), got "${value}"`, `e.g. ${flag} 30`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return Math.round(unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000);
}

/** `32mb`, `32MiB`, `512k`, `1048576` → bytes (powers of 1024). */
export function parseSize(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim());
  if (!m || Number(m[1]) <= 0)
    throw usageError(`${flag} takes a size (bytes, or 512KiB, 32MiB), got "${value}"`, `e.g. ${flag} 32MiB`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const scale = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * scale);
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
      `--min-hit-ratio takes <namespace>=<ratio> or a ratio for the whole server, got "${spec}"`,
      "e.g. --min-hit-ratio 'feature-flag:=0.95' or --min-hit-ratio 0.8",
    );
  return { prefix, min };
}

function positiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw usageError(`${flag} must be a whole number ≥ 1, got "${value}"`, `e.g. ${flag} 10`);
  return Number(value);
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
  const durationMs = typeof flags.hits === 'string' ? parseDuration(flags.hits, '--hits') : defaultHitsMs;
  if (durationMs < 500 || durationMs > maxHitsMs)
    throw usageError(
      `--hits samples for 0.5 s to 5 min, got "${String(flags.hits)}"`,
      'MONITOR costs the server: keep samples short, e.g. --hits 30',
    );
  let intervalMs: number | undefined;
  if (flags.watch !== undefined) {
    intervalMs = typeof flags.watch === 'string' ? parseDuration(flags.watch, '--watch') : 1000;
    if (intervalMs < 100) throw usageError('--watch with --hits takes at least 0.1 s', 'e.g. --watch 5');
  }
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
