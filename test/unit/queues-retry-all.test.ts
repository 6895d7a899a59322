import { describe, expect, it } from 'vitest';
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
