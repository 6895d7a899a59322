import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacer } from '../../src/redis/delete.js';
import { encodePacked } from '../../src/redis/resp-pipe.js';
import { KeyStore, packKeys, unpackKeys } from '../../src/redis/key-store.js';

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

describe('encodePacked', () => {
  it('writes RESP for a command over packed binary keys', () => {
    const pack = packKeys([Buffer.from('a b'), Buffer.alloc(0), Buffer.from([0xff, 0x0d, 0x0a])]);
    expect(encodePacked('UNLINK', pack.data, pack.lengths).toString('latin1')).toBe(
      '*4\r\n$6\r\nUNLINK\r\n$3\r\na b\r\n$0\r\n\r\n$3\r\n\xff\r\n\r\n',
    );
  });
});

// Fake clocks: the pacer's waits are computed from performance.now() and slept with setTimeout,
// so the tests advance time instead of waiting for it (exact, and no timing in tests).
describe('createPacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not wait without a rate', async () => {
    const pace = createPacer(undefined);
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) await pace(1000);
    expect(performance.now() - t0).toBe(0);
  });

  it('lets the first batch go at once and spaces the next ones by their size', async () => {
    const pace = createPacer(1000);
    const t0 = performance.now();
    await pace(100);
    expect(performance.now() - t0).toBe(0);
    const second = pace(100);
    await vi.advanceTimersByTimeAsync(99);
    let done = false;
    void second.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false); // 100 keys at 1000/s: not before 100 ms
    await vi.advanceTimersByTimeAsync(1);
    await second;
    const third = pace(100);
    await vi.advanceTimersByTimeAsync(100);
    await third;
    expect(performance.now() - t0).toBe(200); // 200 keys at 1000/s before the third batch
  });

  it('stops waiting when aborted', async () => {
    const ac = new AbortController();
    const pace = createPacer(1, ac.signal);
    await pace(1);
    const t0 = performance.now();
    const waiting = pace(1); // due in 1 s
    setTimeout(() => ac.abort(), 20);
    await vi.advanceTimersByTimeAsync(20);
    await waiting;
    expect(performance.now() - t0).toBe(20);
  });
});
