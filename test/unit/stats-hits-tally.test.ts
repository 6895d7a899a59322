import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HitsTally } from '../../src/commands/stats/hits-tally.js';
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
