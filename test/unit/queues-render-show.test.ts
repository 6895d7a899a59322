import { describe, expect, it } from 'vitest';
import { renderShow, toShowJson } from '../../src/commands/queues/render-show.js';
import type { QueueRow, ShowResult } from '../../src/commands/queues/types.js';

const counts = {
  waiting: 3,
  active: 0,
  delayed: 1,
  prioritized: 0,
  'waiting-children': 0,
  completed: 10,
  failed: 2,
};

const email: QueueRow = {
  base: 'bull:email',
  prefix: 'bull',
  name: 'email',
  version: 'bullmq:6.7.0',
  split: 'name-rule',
  counts,
  paused: false,
  oldestWaitingAgeMs: 5321,
  stalledCheck: true,
  error: null,
  workers: 1,
  attention: ['2 failed'],
};

const show: ShowResult = {
  ...email,
  target: 'redis://127.0.0.1:6390',
  now: Date.UTC(2024, 0, 1, 12, 0, 30),
  queue: {
    base: 'bull:email',
    prefix: 'bull',
    name: 'email',
    version: 'bullmq:6.7.0',
    node: 0,
    split: 'name-rule',
  },
  meta: { concurrency: 4, rateLimit: { max: 10, durationMs: 1000 }, maxLenEvents: 10000 },
  workers: [{ name: 'holder', addr: '127.0.0.1:5000', idleSeconds: 2, ageSeconds: 60 }],
  nextDelayedAt: Date.UTC(2024, 0, 1, 12, 1, 0),
  failed: { sampled: 2, reasons: [{ reason: 'smtp timeout', count: 2 }] },
  throughput: [{ minute: Date.UTC(2024, 0, 1, 12, 0), completed: 5, failed: 2 }],
  throughputFrom: 'events',
  eventsCoverFrom: null,
  role: 'primary',
  limiter: { count: null, resetsInMs: null, max: 10, durationMs: 1000, tripped: false },
  stalled: { examined: 0, unlocked: [], stalledBefore: 0, failedExamined: 0, failedStalled: 0 },
  jobSchedulers: 1,
  jobs: {
    state: 'failed',
    items: [
      {
        id: '7',
        name: 'send',
        timestamp: Date.UTC(2024, 0, 1, 11, 59),
        processedOn: null,
        finishedOn: Date.UTC(2024, 0, 1, 12, 0),
        attemptsMade: 3,
        failedReason: 'smtp timeout\n at x',
      },
    ],
  },
};

describe('queues show', () => {
  it('JSON: ISO times, ms durations', () => {
    const j = toShowJson(show) as Record<string, any>;
    expect(j.queue).toEqual({ prefix: 'bull', name: 'email', key: 'bull:email', version: 'bullmq:6.7.0' });
    expect(j.nextDelayedAt).toBe('2024-01-01T12:01:00.000Z');
    expect(j.throughput).toEqual([{ minute: '2024-01-01T12:00:00.000Z', completed: 5, failed: 2 }]);
    expect(j.jobs.items[0]).toMatchObject({
      id: '7',
      timestamp: '2024-01-01T11:59:00.000Z',
      processedOn: null,
      attemptsMade: 3,
    });
    expect(j.meta.rateLimit).toEqual({ max: 10, durationMs: 1000 });
  });

  it('text: every section', () => {
    const t = renderShow(show);
    expect(t).toMatch(/rate limit +10 jobs per 1000 ms; limiter idle/);
    expect(t).toMatch(/workers\s+1 worker\n\s+holder\s+127\.0\.0\.1:5000\s+idle 2s/);
    expect(t).toContain('next run in 30s (2024-01-01 12:01:00 UTC)');
    expect(t).toContain('1 job scheduler');
    expect(t).toMatch(/2\s+smtp timeout/);
    expect(t).toMatch(/12:00\s+5\s+2/);
    expect(t).toMatch(/7\s+send\s+2024-01-01 11:59:00\s+-\s+2024-01-01 12:00:00\s+3\s+smtp timeout$/m);
  });
});
