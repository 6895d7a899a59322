import { describe, expect, it } from 'vitest';
import { barLine, fit, shortenMiddle } from '../../src/ui/live.js';

describe('shortenMiddle and fit', () => {
  it('keeps both ends of a key name', () => {
    expect(shortenMiddle('user:1234567890:profile', 15)).toBe('user:12…profile');
    expect(shortenMiddle('short', 15)).toBe('short');
    expect([...shortenMiddle('é'.repeat(50), 9)]).toHaveLength(9);
    expect(fit('abcdefgh', 5)).toBe('abcd…');
  });
});

describe('barLine', () => {
  it('percent, counts, rate and ETA, within the width', () => {
    const line = barLine({
      label: 'deleting',
      done: 500,
      total: 1000,
      elapsedMs: 1000,
      unit: 'keys',
      width: 80,
    });
    expect(line).toMatch(/^deleting \[█+░+\] {2}50% · 500\/1,000 · 500 keys\/s · ETA 1s$/);
    expect([...line].length).toBeLessThan(80);
    expect(
      barLine({ label: 'deleting', done: 1, total: 2, elapsedMs: 1, unit: 'keys', width: 40 }),
    ).not.toMatch(/\[/);
  });
});
