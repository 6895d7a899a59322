import { describe, expect, it } from 'vitest';
import { renderAction, renderQueues, toActionJson, toQueuesJson } from '../../src/commands/queues/render.js';
import type { ActionResult, QueueRow, QueuesResult, ShowResult } from '../../src/commands/queues/types.js';

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

const reports: QueueRow = {
  ...email,
  base: 'myapp:jobs:reports',
  prefix: 'myapp:jobs',
  name: 'reports',
  counts: { ...counts, failed: 0 },
  workers: 0,
  paused: true,
  attention: ['paused'],
  oldestWaitingAgeMs: null,
};

const result: QueuesResult = {
  target: 'redis://127.0.0.1:6390',
  cluster: false,
  queues: [email, reports],
  workersKnown: true,
  onReplica: false,
  scripting: { allowed: true, error: null },
  countsFrom: 'lua',
  violations: [],
};

describe('queues --json', () => {
  it('has the documented shape', () => {
    expect(toQueuesJson(result)).toEqual({
      target: 'redis://127.0.0.1:6390',
      cluster: false,
      eval: 'allowed',
      countsFrom: 'lua',
      workersFrom: 'client-list',
      replica: false,
      queues: [
        {
          prefix: 'bull',
          name: 'email',
          key: 'bull:email',
          split: expect.any(String),
          version: 'bullmq:6.7.0',
          paused: false,
          counts,
          workers: 1,
          stalledCheck: true,
          oldestWaitingAgeMs: 5321,
          attention: ['2 failed'],
          error: null,
        },
        expect.objectContaining({ prefix: 'myapp:jobs', name: 'reports', paused: true }),
      ],
      violations: [],
    });
  });
});

describe('queues table', () => {
  it('one row per queue, flagged rows marked and explained', () => {
    const text = renderQueues(result);
    const lines = text.split('\n');
    expect(lines[0]).toBe('redis-ops queues  redis://127.0.0.1:6390');
    expect(lines[2]).toMatch(/^\s+PREFIX\s+NAME\s+WAIT/);
    expect(lines[3]).toMatch(/^⚠\s+bull\s+email\s+3\s+0\s+1\s+0\s+0\s+10\s+2\s+no\s+1\s+5s\s+6\.7\.0$/);
    expect(lines[4]).toMatch(/^⚠\s+myapp:jobs\s+reports\s.*\syes\s+0\s+-\s+6\.7\.0$/);
    expect(text).toContain('⚠ bull:email: 2 failed');
    expect(text).toContain('2 queues; counts from one read-only script per queue, pipelined');
  });
  it('says when EVAL or CLIENT LIST is denied, and names gate violations', () => {
    const text = renderQueues({
      ...result,
      workersKnown: false,
      scripting: { allowed: false, error: 'NOPERM' },
      countsFrom: 'pipeline',
      queues: [{ ...email, workers: null }],
      violations: [{ queue: 'bull:email', rule: 'max-failed', value: 2, limit: 0 }],
    });
    expect(text).toMatch(/no\s+alive\?\s+5s/);
    expect(text).toContain('CLIENT LIST is denied');
    expect(text).toContain('EVAL is denied for this user: counts come from pipelined LLEN/ZCARD');
    expect(text).toContain('1 queue; counts from pipelined LLEN/ZCARD');
    expect(text).toContain('✖ bull:email: 2 failed jobs, more than --max-failed 0');
  });
  it('no queues', () => {
    expect(renderQueues({ ...result, queues: [] })).toContain('no BullMQ queues found');
  });
});

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

describe('actions', () => {
  const base: ActionResult = {
    queue: show.queue,
    action: 'retry',
    state: 'failed',
    dryRun: false,
    matched: 2,
    exact: true,
    cutoff: null,
    changed: 2,
    before: { counts, paused: false },
    after: { counts: { ...counts, failed: 0 }, paused: false },
    plan: 'retry 2 jobs in failed of bull:email (moved back to wait)',
    done: 'retried 2 jobs in failed of bull:email',
    note: null,
  };
  it('render and JSON', () => {
    expect(renderAction(base)).toBe('✔ retried 2 jobs in failed of bull:email');
    expect(renderAction({ ...base, dryRun: true, changed: null })).toBe(
      'ℹ dry run: retry 2 jobs in failed of bull:email (moved back to wait); nothing changed',
    );
    expect(toActionJson(base)).toMatchObject({
      queue: { prefix: 'bull', name: 'email', key: 'bull:email' },
      action: 'retry',
      state: 'failed',
      dryRun: false,
      matched: 2,
      changed: 2,
    });
  });
});
