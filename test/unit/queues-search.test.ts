import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../src/commands/queues/jobs.js';
import { matches, sortJobs, type FoundJob } from '../../src/queues/search.js';
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

describe('jobs filters', () => {
  const job: FoundJob = {
    id: '1',
    state: 'failed',
    name: 'send-mail',
    timestamp: 1000,
    processedOn: 1100,
    finishedOn: 1200,
    priority: 3,
    attemptsMade: 1,
    failedReason: 'ECONNRESET',
    data: '{"user":{"id":42},"tags":["a"]}',
  };
  const base = { states: ['failed' as const], limit: 10, scanLimit: 10 };
  it('compose', () => {
    expect(matches(job, { ...base, dataPath: { path: ['user', 'id'], value: '42' } })).toBe(true);
    expect(matches(job, { ...base, dataPath: { path: ['user', 'id'], value: '4' } })).toBe(false);
    expect(matches(job, { ...base, failedReason: 'ECONN', since: 900, until: 1000 })).toBe(true);
    expect(matches(job, { ...base, since: 1001 })).toBe(false);
    expect(matches(job, { ...base, grep: '"tags"' })).toBe(true);
  });
  it('sort by created (newest first) and priority', () => {
    const a = { ...job, id: 'a', timestamp: 1, priority: 9 };
    const b = { ...job, id: 'b', timestamp: 2, priority: 1 };
    expect(sortJobs([a, b], 'created').map((j) => j.id)).toEqual(['b', 'a']);
    expect(sortJobs([a, b], 'priority').map((j) => j.id)).toEqual(['b', 'a']);
  });
  it('--since: a duration ago or an ISO date', () => {
    expect(parseWhen('15m', '--since', 1_000_000)).toBe(100_000);
    expect(parseWhen('2024-01-01T00:00:00Z', '--since', 0)).toBe(Date.UTC(2024, 0, 1));
    expect(() => parseWhen('yesterday', '--since', 0)).toThrow(/invalid --since/);
  });
});
