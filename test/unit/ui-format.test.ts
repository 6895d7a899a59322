import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  plural,
} from '../../src/ui/format.js';

describe('numbers for people', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [1.2 * 1024 ** 3, '1.2 GiB'],
    [150 * 1024 ** 2, '150 MiB'],
    [null, 'unknown'],
  ])('formatBytes(%s) = %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it.each<[number | null, string]>([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [12_400, '12,400'],
    [3_100_000, '3,100,000'],
    [1_234_567_890, '1,234,567,890'],
    [-4200, '-4,200'],
    [2.6, '3'],
    [null, 'unknown'],
  ])('formatCount(%s) = %s: the one number format', (n, s) => expect(formatCount(n)).toBe(s));

  it('plural counts the same way', () => {
    expect(plural(1, 'key')).toBe('1 key');
    expect(plural(2000, 'key')).toBe('2,000 keys');
  });

  it('rates, percentages and durations', () => {
    expect(formatRate(12_400)).toBe('12,400 ops/s');
    expect(formatRate(12_400.4, 'keys/s')).toBe('12,400 keys/s');
    expect(formatRate(0.5, '/s')).toBe('0.5 /s');
    expect(formatPercent(0.931)).toBe('93.1%');
    expect(formatPercent(null)).toBe('none');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(723)).toBe('12m 3s');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 5)).toBe('3d 4h');
    expect(formatDuration(3600)).toBe('1h');
  });
});
