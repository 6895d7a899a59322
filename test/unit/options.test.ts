import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/options.js';

describe('one duration syntax', () => {
  it.each([
    ['30s', 's', 30_000],
    ['15m', 's', 900_000],
    ['2h', 'ms', 7_200_000],
    ['7d', 's', 604_800_000],
    ['500ms', 's', 500],
    ['30', 's', 30_000],
    ['5000', 'ms', 5000],
    ['0.5', 's', 500],
  ] as const)('%s (bare %s) = %i ms', (text, bare, ms) =>
    expect(parseDuration(text, '--x', { bare })).toBe(ms),
  );
  it('rejects what is not a duration', () => {
    expect(() => parseDuration('1y', '--grace', { bare: 'ms' })).toThrow(/invalid --grace: 1y/);
    expect(() => parseDuration('-1s', '--wait', { bare: 's' })).toThrow(/invalid --wait/);
  });
});
