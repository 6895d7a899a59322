import { describe, expect, it } from 'vitest';
import type { WatchRow, WatchSnapshot } from '../../src/commands/queues/types.js';
import { sortByAttention } from '../../src/commands/queues/watch.js';

const counts = {
  waiting: 0,
  active: 0,
  delayed: 0,
  prioritized: 0,
  'waiting-children': 0,
  completed: 0,
  failed: 0,
};

const row = (base: string, over: Partial<WatchRow> = {}): WatchRow => ({
  base,
  prefix: 'bull',
  name: base.slice(5),
  version: 'bullmq:6.7.0',
  counts,
  paused: false,
  oldestWaitingAgeMs: null,
  stalledCheck: true,
  error: null,
  workers: 1,
  rates: null,
  history: [],
  attention: [],
  ...over,
});

describe('watch view', () => {
  const rates = { added: 1, completed: 2, failed: 0.5, from: 'events' as const, approximate: false };
  const snap: WatchSnapshot = {
    target: 'redis://127.0.0.1:6390',
    at: Date.UTC(2026, 0, 1, 12, 0, 0),
    intervalMs: 2000,
    seconds: 2,
    workersKnown: true,
    rows: sortByAttention([
      row('bull:quiet'),
      row('bull:stuck', {
        workers: 0,
        counts: { ...counts, waiting: 4 },
        oldestWaitingAgeMs: 90_000,
        attention: ['no worker while 4 wait'],
      }),
      row('bull:failing', { rates, history: [1, 2, 3, 0, 8], attention: ['failing: 0.5/s'] }),
    ]),
  };
  it('sorts by attention: failures growing, then nobody consuming, then the rest', () => {
    expect(snap.rows.map((r) => r.base)).toEqual(['bull:failing', 'bull:stuck', 'bull:quiet']);
  });
});
