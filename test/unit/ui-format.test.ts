import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate } from '../../src/ui/format.js';

describe('human-sized numbers', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [1.2 * 1024 ** 3, '1.2 GiB'],
    [150 * 1024 ** 2, '150 MiB'],
    [null, 'unknown'],
  ])('formatBytes(%s) = %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it.each([
    [999, '999'],
    [12_400, '12.4k'],
    [3_100_000, '3.1M'],
    [999_960, '1.0M'],
    [150_000, '150k'],
  ])('formatCount(%s) = %s', (n, s) => expect(formatCount(n)).toBe(s));

  it('rates, percentages and durations', () => {
    expect(formatRate(12_400)).toBe('12.4k ops/s');
    expect(formatRate(0.5, '/s')).toBe('0.5 /s');
    expect(formatPercent(0.931)).toBe('93.1%');
    expect(formatPercent(null)).toBe('none');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(723)).toBe('12m 3s');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 5)).toBe('3d 4h');
    expect(formatDuration(3600)).toBe('1h');
  });
});
