import { describe, expect, it } from 'vitest';
import {
  parseDuration,
  parseGate,
  parseHitsFlags,
  parseSize,
} from '../../src/commands/stats/hits-options.js';
import { parseStatsFlags } from '../../src/commands/stats/options.js';

describe('stats --hits flags', () => {
  it('defaults: 10 s, 32 MiB, depth 1, top 5', () => {
    expect(parseStatsFlags({ hits: true })).toMatchObject({
      kind: 'hits',
      durationMs: 10_000,
      maxBufferBytes: 32 * 1024 * 1024,
      depth: 1,
      top: 5,
      gates: [],
    });
  });

  it.each([
    ['30', 30_000],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1500ms', 1500],
  ])('duration %s → %i ms', (v, ms) => expect(parseDuration(v, '--hits')).toBe(ms));

  it.each([
    ['32MiB', 32 * 1024 ** 2],
    ['512k', 512 * 1024],
    ['1048576', 1048576],
  ])('size %s → %i bytes', (v, n) => expect(parseSize(v, '--max-buffer')).toBe(n));

  it('gates: per namespace (the last = splits), a bare ratio for the server, percentages', () => {
    expect(parseGate('feature-flag:=0.95')).toEqual({ prefix: 'feature-flag:', min: 0.95 });
    expect(parseGate('a=b:=80%')).toEqual({ prefix: 'a=b:', min: 0.8 });
    expect(parseGate('0.9')).toEqual({ prefix: undefined, min: 0.9 });
    expect(() => parseGate('x:=1.5')).toThrow(/invalid --min-hit-ratio/);
    expect(() => parseGate('=0.5')).toThrow(/invalid --min-hit-ratio/);
  });

  it('refuses more than 5 minutes, --keys with --hits, and --hits-only flags alone', () => {
    expect(() => parseStatsFlags({ hits: '6m' })).toThrow(/invalid --hits: 6m/);
    expect(() => parseStatsFlags({ hits: true, keys: true })).toThrow(/cannot be combined/);
    expect(() => parseStatsFlags({ maxOps: '5' })).toThrow(/--max-ops needs --hits/);
    expect(() => parseStatsFlags({ minHitRatio: ['0.5'] })).toThrow(/--min-hit-ratio needs --hits/);
    expect(parseHitsFlags({ hits: '5', watch: '2' }).intervalMs).toBe(2000);
  });
});
