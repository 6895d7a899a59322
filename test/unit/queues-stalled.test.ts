import { describe, expect, it } from 'vitest';
import { stalledAttention } from '../../src/queues/stalled.js';

describe('stalled attention', () => {
  it('names locks gone, earlier stalls and failures that stalled out', () => {
    const s = { examined: 3, unlocked: ['1'], stalledBefore: 2, failedExamined: 10, failedStalled: 4 };
    expect(stalledAttention(s, true)).toEqual([
      'stalled: 1 of 3 active jobs looked at have no lock and no worker runs',
      'stalled before: 2 of 3 active jobs looked at (stalledCounter > 0)',
      'stalled out: 4 of the last 10 failed jobs stalled more than maxStalledCount',
    ]);
    expect(stalledAttention({ ...s, stalledBefore: 0, failedStalled: 0 }, false)).toEqual([
      "stalled: 1 of 3 active jobs looked at have no lock (a worker's stalled check moves them back)",
    ]);
  });
});
