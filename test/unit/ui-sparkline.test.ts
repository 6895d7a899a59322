import { describe, expect, it } from 'vitest';
import { bucketSeries, sparkline, sparklineRange } from '../../src/ui/sparkline.js';

describe('sparklines', () => {
  it('scale from the minimum (or a given floor) to the maximum; gaps for null; flat in the middle', () => {
    expect(sparklineRange([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparklineRange([0, 50, 100], 0)).toBe('▁▅█');
    expect(sparklineRange([5, null, 5])).toBe('▄ ▄');
    expect(sparklineRange([0, 0])).toBe('▁▁');
    expect(sparklineRange([null, null])).toBe('  ');
  });
});

describe('sparkline', () => {
  it('scales to the largest point; zero is the lowest block, unknown a space', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([null, 3])).toBe(' █');
    expect(sparkline([1, 100])).toBe('▂█');
  });
  it('buckets the newest samples into points, right-aligned', () => {
    expect(bucketSeries([1, 1, 1, 1, 1], 2, 10)).toEqual([1, 2, 2]);
    expect(bucketSeries([1, 2, 3, 4], 1, 2)).toEqual([3, 4]);
    expect(bucketSeries([null, null, 5], 2, 5)).toEqual([null, 5]);
  });
});
