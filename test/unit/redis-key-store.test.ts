import { describe, expect, it } from 'vitest';
import { KeyStore, unpackKeys } from '../../src/redis/key-store.js';

describe('KeyStore', () => {
  const keys = (n: number, prefix = 'k'): Buffer[] =>
    Array.from({ length: n }, (_, i) => Buffer.from(`${prefix}${i}`));

  it('gives back exactly the keys it kept, binary ones included, in batches', () => {
    const store = new KeyStore(1 << 20);
    const odd = [
      Buffer.from([0xff, 0x00, 0x0a]),
      Buffer.from('with space'),
      Buffer.alloc(0),
      Buffer.from('ü"\''),
    ];
    store.add(keys(5));
    store.add(odd);
    const packs = [...store.packs(4)];
    // A pack never spans two SCAN batches: 5 → 4 + 1, then 4 → 4.
    expect(packs.map((p) => p.lengths.length)).toEqual([4, 1, 4]);
    expect(packs.flatMap(unpackKeys)).toEqual([...keys(5), ...odd]);
    expect(store.size).toBe(9);
    expect(store.complete).toBe(true);
  });

  it('stops keeping keys past its budget and says it is incomplete', () => {
    const store = new KeyStore(40);
    expect(store.add(keys(3))).toBe(true); // 3 × (2 + 4) = 18 bytes
    expect(store.add(keys(4, 'long-'))).toBe(false);
    expect(store.add(keys(1))).toBe(false); // never resumes: the rest comes from a second SCAN
    expect(store.complete).toBe(false);
    expect([...store.packs(10)].flatMap(unpackKeys).map(String)).toEqual(['k0', 'k1', 'k2']);
  });
});

// Fake clocks: the pacer's waits are computed from performance.now() and slept with setTimeout,
// so the tests advance time instead of waiting for it (exact, and no timing in tests).
