import { describe, expect, it } from 'vitest';
import {
  mergeNamespaces,
  NamespaceTally,
  prefixEnd,
  rankNamespaces,
} from '../../src/commands/stats/namespaces.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('prefixes on bytes', () => {
  it.each([
    ['cache:page:1', 1, 'cache:'],
    ['cache:page:1', 2, 'cache:page:'],
    ['cache:x', 3, 'cache:'],
    ['plain', 1, ''],
  ])('%s at depth %i → %s', (key, depth, prefix) => {
    expect(
      b(key)
        .subarray(0, prefixEnd(b(key), b(':'), depth))
        .toString('latin1'),
    ).toBe(prefix);
  });

  it('tallies counts, memory, TTL and types; keeps the biggest keys; skips vanished keys', () => {
    const t = new NamespaceTally(b(':'), 1, 2);
    const keys = [b('a:1'), b('a:2'), b('\xff\x00:1'), b('gone:1'), b('b')];
    t.add(keys, {
      types: ['string', 'hash', 'string', 'none', 'list'],
      pttls: [-1, 5000, -1, -2, -1],
      bytes: [10, 30, 5, null, 7],
      memoryBlocked: false,
    });
    const ns = rankNamespaces(t.namespaces());
    expect(ns.map((n) => [n.prefix.toString('latin1'), n.keys, n.bytes, n.noTtlKeys, n.types])).toEqual([
      ['a:', 2, 40, 1, { string: 1, hash: 1 }],
      ['', 1, 7, 1, { list: 1 }],
      ['\xff\x00:', 1, 5, 1, { string: 1 }],
    ]);
    expect(t.biggest().map((k) => [k.key.toString(), k.bytes])).toEqual([
      ['a:2', 30],
      ['a:1', 10],
    ]);
    expect(t.vanished).toBe(1);
  });

  it('unknown memory makes a namespace unknown; sampling scales; nodes merge', () => {
    const t = new NamespaceTally(b(':'), 1, 0);
    t.add([b('a:1'), b('a:2')], {
      types: ['string', 'string'],
      pttls: [-1, -1],
      bytes: [null, null],
      memoryBlocked: true,
    });
    expect(t.namespaces(10)[0]).toMatchObject({
      keys: 20,
      bytes: null,
      noTtlKeys: 20,
      types: { string: 20 },
    });
    const merged = mergeNamespaces([t.namespaces(), t.namespaces()]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ keys: 4, bytes: null, types: { string: 4 } });
  });
});
