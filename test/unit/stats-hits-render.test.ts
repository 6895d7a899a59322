import { describe, expect, it } from 'vitest';
import {
  evaluateGates,
  ratioBar,
  renderHits,
  toHitsJson,
  type HitsReport,
} from '../../src/commands/stats/hits-render.js';

describe('render', () => {
  const report = (over: Partial<HitsReport> = {}): HitsReport => ({
    target: 'redis://127.0.0.1:6379',
    keymiss: 'on',
    restored: true,
    gates: [{ prefix: 'b:', min: 0.9 }, { min: 0.5 }],
    result: {
      durationMs: 2000,
      commandsSeen: 30,
      commandsWithoutKeys: 0,
      unknownCommands: 0,
      lookupsSeen: 30,
      serverLookups: 30,
      serverCommands: 30,
      coverage: 1,
      globalHitRatio: 0.6,
      untrackedWrites: 0,
      namespaces: [
        {
          prefix: Buffer.from('b:'),
          reads: 20,
          hits: 10,
          misses: 10,
          writes: 0,
          writesWithoutTtl: 0,
          hotKeys: [],
          missedKeys: [{ key: Buffer.from('b:\x01'), count: 3 }],
        },
      ],
    },
    ...over,
  });

  it('JSON has exactly the documented keys; key bytes shown as --keys shows them', () => {
    const j = toHitsJson(report());
    expect(Object.keys(j)).toEqual([
      'durationMs',
      'commandsSeen',
      'coverage',
      'globalHitRatio',
      'namespaces',
      'keymiss',
      'restored',
    ]);
    expect(j.namespaces[0]).toEqual({
      prefix: 'b:',
      reads: 20,
      hits: 10,
      misses: 10,
      hitRatio: 0.5,
      writes: 0,
      writesWithoutTtl: 0,
      hotKeys: [],
      missedKeys: [{ key: 'b:\\x01', misses: 3 }],
    });
    expect(toHitsJson(report({ keymiss: 'unavailable' })).namespaces[0]).toMatchObject({
      hits: null,
      misses: null,
      hitRatio: null,
    });
  });

  it('gates: under target, met, and cannot judge', () => {
    expect(evaluateGates(report()).map((v) => v.ok)).toEqual([false, true]);
    expect(evaluateGates(report({ keymiss: 'unavailable' }))[0]?.ok).toBeNull();
  });

  it('the table marks a namespace under its gate, with a bar', () => {
    expect(ratioBar(0.5)).toBe('██████████░░░░░░░░░░');
    const text = renderHits(report());
    expect(text).toMatch(/│ b: +│ +10 \/s │ ██████████░░░░░░░░░░ 50\.0% ✖ under 90\.0% │/);
    expect(text).toMatch(/Hit ratio: 60\.0% whole server \(INFO\) · 50\.0% sum over namespaces/);
  });
});
