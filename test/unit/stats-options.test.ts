import { describe, expect, it } from 'vitest';
import { parseStatsFlags } from '../../src/commands/stats/options.js';

describe('stats flags → options', () => {
  it.each([
    [{}, { kind: 'snapshot' }],
    [{ watch: true }, { kind: 'watch', intervalMs: 1000, count: undefined }],
    [
      { watch: '0.5', count: '3' },
      { kind: 'watch', intervalMs: 500, count: 3 },
    ],
    [
      { keys: true },
      { kind: 'keys', delimiter: ':', depth: 1, match: undefined, top: 10, sample: undefined },
    ],
    [
      { keys: true, delimiter: '/', depth: '2', match: 'a*', top: '5', sample: '100' },
      { kind: 'keys', delimiter: '/', depth: 2, match: 'a*', top: 5, sample: 100 },
    ],
  ])('%j', (flags, mode) => expect(parseStatsFlags(flags)).toEqual(mode));

  it.each([
    [{ watch: 'abc' }, /invalid --watch/],
    [{ watch: '0' }, /invalid --watch/],
    [{ watch: true, count: '0' }, /invalid --count: 0/],
    [{ count: '2' }, /--count needs --watch/],
    [{ keys: true, depth: '1.5' }, /invalid --depth: 1.5/],
    [{ keys: true, top: '-1' }, /invalid --top: -1/],
    [{ keys: true, delimiter: '' }, /--delimiter cannot be empty/],
    [{ depth: '2' }, /--depth needs --keys/],
    [{ keys: true, watch: true }, /cannot be combined/],
  ])('rejects %j', (flags, message) => {
    expect(() => parseStatsFlags(flags)).toThrow(message);
    try {
      parseStatsFlags(flags);
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(2);
    }
  });
});
