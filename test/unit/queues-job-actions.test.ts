import { describe, expect, it } from 'vitest';
import { compactIds } from '../../src/commands/queues/jobs-action.js';
import { retryAllPlanText } from '../../src/commands/queues/retry-all.js';
import type { DiscoveredQueue } from '../../src/queues/discover.js';

const q = (base: string): DiscoveredQueue => ({
  base,
  prefix: 'bull',
  name: base.slice(5),
  version: 'bullmq:6.7.0',
  node: 0,
  split: 'first-segment',
});

describe('compactIds: the preview names every id, runs folded', () => {
  it('folds consecutive numeric ids in order and keeps custom ids', () => {
    expect(compactIds(['9', '8', '7', '3', '12', '5', '4'])).toBe('3-5, 7-9, 12');
    expect(compactIds(['2', '1'])).toBe('1, 2');
    expect(compactIds(['order-7', '10', 'repeat:x:1'])).toBe('10, order-7, repeat:x:1');
    expect(compactIds([])).toBe('');
  });
});

describe('retryAllPlanText: one row per queue that has jobs or is skipped', () => {
  it('counts, skips and the queues with none', () => {
    const text = retryAllPlanText('failed', [
      { queue: q('bull:email'), matched: 3, changed: null, skipped: null },
      { queue: q('bull:idle'), matched: 0, changed: null, skipped: null },
      { queue: q('bull:legacy'), matched: null, changed: null, skipped: 'an old bull queue' },
    ]);
    expect(text.split('\n')).toEqual([
      'retry 3 jobs in failed across 1 queue (moved back to wait); 1 more queue has none',
      '  QUEUE        FAILED',
      '  bull:email        3',
      '  bull:legacy       -  skipped: an old bull queue',
    ]);
  });
});

describe('renderers of the job actions and drain (pure)', () => {
  const queue = q('bull:email');

  it('a filtered run: exact counts, skipped jobs named', async () => {
    const { renderJobsAction, toJobsActionJson } =
      await import('../../src/commands/queues/render-job-action.js');
    const r = {
      target: 'redis://127.0.0.1:6379',
      queue,
      action: 'retry' as const,
      dryRun: false,
      states: ['failed' as const],
      examined: 6,
      budgetHit: false,
      limitHit: false,
      planned: [
        { id: '5', state: 'failed' as const },
        { id: '3', state: 'failed' as const },
        { id: '1', state: 'failed' as const },
      ],
      changed: ['5', '1'],
      skipped: [{ id: '3', why: 'now waiting' }],
      reason: null,
      plan: 'retry 3 jobs',
    };
    expect(renderJobsAction(r).split('\n')).toEqual([
      '✔ retried 2 of 3 jobs in bull:email; 1 skipped (changed since the preview)',
      '  ⚠ skipped job 3: now waiting',
    ]);
    expect(toJobsActionJson(r)).toMatchObject({ matched: 3, ids: ['5', '3', '1'], changed: 2 });
    expect(toJobsActionJson({ ...r, dryRun: true }).changed).toBeNull();
  });

  it('drain: what went, and a note when it differs from the plan', async () => {
    const { renderWipe } = await import('../../src/commands/queues/render-wipe.js');
    const counts = {
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
      'waiting-children': 0,
      completed: 0,
      failed: 0,
    };
    const r = {
      target: 't',
      queue,
      action: 'drain' as const,
      delayed: false,
      force: true,
      dryRun: false,
      workers: 0,
      held: { active: 0, locked: 0, sampled: false },
      before: counts,
      toGo: { waiting: 3, prioritized: 2 },
      went: { waiting: 4, prioritized: 2 },
      after: counts,
      plan: 'drain',
    };
    expect(renderWipe(r).split('\n')).toEqual([
      '✔ drained bull:email: 6 jobs deleted (4 waiting, 2 prioritized)',
      '  the plan counted 5: jobs were added or taken by workers in between',
    ]);
  });
});
