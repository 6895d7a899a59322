/**
 * A row of block characters for a series of numbers: `▁▂▅█▃`. Generic (queues show, queues
 * --watch, stats): the caller decides what one character stands for. Zero draws as the lowest
 * block only when the series has something else, so a flat idle series reads `▁▁▁`, and an
 * unknown point (null) draws as a space, never as a zero.
 */
const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export function sparkline(values: ReadonlyArray<number | null>, opts: { max?: number } = {}): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = opts.max ?? Math.max(0, ...known);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (max <= 0 || v <= 0) return blocks[0];
      // Anything above zero gets at least the second block: one job in a quiet minute shows.
      const i = Math.max(1, Math.round((Math.min(v, max) / max) * (blocks.length - 1)));
      return blocks[i] ?? blocks[blocks.length - 1];
    })
    .join('');
}

/**
 * The last `width` points of a series, each the sum of `per` consecutive samples (oldest first),
 * so a long series fits a short column: 150 two-second samples → 20 points of 15 s each.
 */
export function bucketSeries(
  values: ReadonlyArray<number | null>,
  per: number,
  width: number,
): Array<number | null> {
  const out: Array<number | null> = [];
  const step = Math.max(1, Math.floor(per));
  // Align buckets on the newest sample, so the rightmost point is always the latest.
  for (let end = values.length; end > 0 && out.length < width; end -= step) {
    const slice = values.slice(Math.max(0, end - step), end);
    const known = slice.filter((v): v is number => v !== null);
    out.unshift(known.length === 0 ? null : known.reduce((a, b) => a + b, 0));
  }
  return out;
}

/**
 * The same blocks scaled from `low` (default: the series' minimum) to its maximum, for figures
 * that never sit near zero (stats --watch: hit ratio, memory). A flat line sits in the middle:
 * no change is not "nothing".
 */
export function sparklineRange(values: ReadonlyArray<number | null>, low?: number): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return ' '.repeat(values.length);
  const min = low ?? Math.min(...known);
  const max = Math.max(...known);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (max === min) return max === 0 ? blocks[0] : blocks[3];
      const i = Math.round(((v - min) / (max - min)) * (blocks.length - 1));
      return blocks[Math.max(0, Math.min(blocks.length - 1, i))];
    })
    .join('');
}
