import { describe, expect, it } from 'vitest';
import { bucketMetrics } from '../../src/queues/throughput.js';

describe("BullMQ's metrics → per-minute buckets", () => {
  const m = (h: number, min: number) => Date.UTC(2024, 0, 1, h, min);
  it('data[i] is the minute before prevTS minus i; count − prevCount falls in prevTS minute', () => {
    // prevTS at 12:05:30; data = [12:04, 12:03, 12:02]; 7 completions since prevTS.
    const meta = { count: 57, prevTS: m(12, 5) + 30_000, prevCount: 50 };
    expect(bucketMetrics(meta, [4, 3, 2], m(12, 2), 5)).toEqual([2, 3, 4, 7, 0]);
    // Minutes outside the window are dropped.
    expect(bucketMetrics(meta, [4, 3, 2], m(12, 4), 2)).toEqual([4, 7]);
  });
});
