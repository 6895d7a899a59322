/**
 * Numbers for people: `1.2 GiB`, `12,400`, `93.1%`, `3d 4h`. Pure and shared by every command,
 * one function per kind of figure; JSON output never goes through here (it carries raw numbers).
 */
const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in powers of 1024: 512 B, 1.5 KiB, 1.2 GiB. null → "unknown". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'unknown';
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < byteUnits.length - 1) {
    v /= 1024;
    i++;
  }
  const text = i === 0 ? String(Math.round(v)) : v >= 100 ? v.toFixed(0) : v.toFixed(1);
  return `${sign}${text} ${byteUnits[i]}`;
}

/**
 * The one number format of the house: whole counts exactly, with thousands separators,
 * `1,234,567`, in every command (keys, jobs, hits, clients, rates). By hand: toLocaleString
 * loads ICU data (~50 ms) for one line of output. null → "unknown".
 */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'unknown';
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A rate: `12,400 ops/s`, `0.5 /s` (one decimal under 10) with a unit. */
export function formatRate(perSecond: number | null | undefined, unit = 'ops/s'): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return 'unknown';
  const text =
    Math.abs(perSecond) < 10 && !Number.isInteger(perSecond)
      ? perSecond.toFixed(1)
      : formatCount(Math.round(perSecond));
  return `${text} ${unit}`;
}

/** A ratio 0..1 as a percentage with one decimal: 0.931 → `93.1%`; null → `none`. */
export function formatPercent(ratio: number | null | undefined, none = 'none'): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return none;
  return `${(ratio * 100).toFixed(1)}%`;
}

/** Seconds as the two largest units: `45s`, `12m 3s`, `3d 4h`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'unknown';
  let s = Math.max(0, Math.round(seconds));
  const parts: Array<[number, string]> = [];
  for (const [size, unit] of [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ] as Array<[number, string]>) {
    const q = Math.floor(s / size);
    s -= q * size;
    parts.push([q, unit]);
  }
  const first = parts.findIndex(([q]) => q > 0);
  if (first === -1) return '0s';
  return parts
    .slice(first, first + 2)
    .filter(([q], i) => i === 0 || q > 0)
    .map(([q, u]) => `${q}${u}`)
    .join(' ');
}

/** "1 key", "2,000 keys": the one plural of the house (English nouns that take an s). */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
