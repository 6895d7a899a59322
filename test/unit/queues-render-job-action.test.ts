import { describe, expect, it } from 'vitest';
import type { DiscoveredQueue } from '../../src/queues/discover.js';

const q = (base: string): DiscoveredQueue => ({
  base,
  prefix: 'bull',
  name: base.slice(5),
  version: 'bullmq:6.7.0',
  node: 0,
  split: 'first-segment',
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
});
