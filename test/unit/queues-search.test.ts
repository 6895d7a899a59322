import { describe, expect, it } from 'vitest';
import { matches, sortJobs, type FoundJob } from '../../src/queues/search.js';

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
});
