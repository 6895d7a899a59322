import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacer } from '../../src/redis/delete.js';

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
