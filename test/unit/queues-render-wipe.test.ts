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
