import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseDuration,
  parseGate,
  parseHitsFlags,
  parseSize,
} from '../../src/commands/stats/hits-options.js';
import {
  evaluateGates,
  ratioBar,
  renderHits,
  toHitsJson,
  type HitsReport,
} from '../../src/commands/stats/hits-render.js';
import { HitsTally } from '../../src/commands/stats/hits-tally.js';
import { TopKeys } from '../../src/commands/stats/hits-topk.js';
import { parseStatsFlags } from '../../src/commands/stats/options.js';
import { parseCommandTable } from '../../src/redis/command-keys.js';
import type { MonitorEntry } from '../../src/redis/monitor.js';
import { parseOneReply as parseReply } from '../../src/redis/resp-one.js';

const raw = readFileSync(new URL('../fixtures/hits/command-info-7.0.15.resp', import.meta.url));
const table = parseCommandTable((parseReply(raw, 0) as [never, number])[0]);
const entry = (line: string, db = 0): MonitorEntry => ({
  db,
  source: '127.0.0.1:1',
  args: line.split(' ').map((a) => Buffer.from(a)),
});

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

describe('the tally', () => {
  it('reads, misses and hits per namespace; writes and the TTL they leave', () => {
    const t = new HitsTally({ delimiter: ':', depth: 1, top: 3 });
    for (const line of [
      'GET a:1',
      'GET a:2',
      'MGET a:1 b:1',
      'SET c:1 v',
      'SET a:9 v EX 5',
      'INCR d:1',
      'INCR d:2',
    ])
      t.addCommand(0, entry(line), table);
    t.addCommand(0, entry('EXPIRE d:1 60'), table);
    t.addCommand(0, entry('PING'), table);
    t.addMiss(0, 0, Buffer.from('a:2'));
    // d:2 is undecided: the sampler asks PTTL, -1 = no TTL.
    const pending = t.pendingTtlChecks();
    expect(pending.map((p) => p.key.toString())).toEqual(['d:2']);
    t.resolveTtl(pending[0]!.id, -1);
    const ns = Object.fromEntries(t.namespaces().map((n) => [n.prefix.toString(), n]));
    expect(ns['a:']).toMatchObject({ reads: 3, hits: 2, misses: 1, writes: 1, writesWithoutTtl: 0 });
    expect(ns['b:']).toMatchObject({ reads: 1, hits: 1, misses: 0 });
    expect(ns['c:']).toMatchObject({ writes: 1, writesWithoutTtl: 1 });
    expect(ns['d:']).toMatchObject({ writes: 3, writesWithoutTtl: 1 });
    expect(ns['a:']!.hotKeys[0]).toEqual({ key: Buffer.from('a:1'), count: 2 });
    expect(t.commandsWithoutKeys).toBe(1);
    expect(t.lookupsSeen).toBe(4);
  });

  it('--match keeps only matching keys (the byte-level glob matcher)', () => {
    const t = new HitsTally({ delimiter: ':', depth: 1, top: 3, match: 'a:*' });
    t.addCommand(0, entry('MGET a:1 b:1'), table);
    expect(t.namespaces().map((n) => n.prefix.toString())).toEqual(['a:']);
  });

  it('a deleted key is not a leak', () => {
    const t = new HitsTally({ delimiter: ':', depth: 1, top: 3 });
    t.addCommand(0, entry('SET c:1 v'), table);
    t.addCommand(0, entry('DEL c:1'), table);
    expect(t.namespaces()[0]?.writesWithoutTtl).toBe(0);
  });
});

describe('top keys (space-saving)', () => {
  it('keeps the heavy hitters of a long tail and reports guaranteed counts', () => {
    const top = new TopKeys(16);
    for (let i = 0; i < 10_000; i++) {
      top.add(Buffer.from(`tail:${i}`));
      if (i % 10 === 0) top.add(Buffer.from('hot'));
    }
    const [first] = top.top(1);
    expect(first?.key.toString()).toBe('hot');
    expect(first?.count).toBeGreaterThan(900);
    expect(first?.count).toBeLessThanOrEqual(1000);
  });
});

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
