import { describe, expect, it } from 'vitest';
import { attentionOf, checkGates } from '../../src/commands/queues/overview.js';
import type { QueueRow } from '../../src/commands/queues/types.js';

function row(over: Partial<QueueRow> = {}): QueueRow {
  return {
    base: 'bull:email',
    prefix: 'bull',
    name: 'email',
    version: 'bullmq:6.7.0',
    split: 'name-rule',
    counts: {
      waiting: 3,
      active: 0,
      delayed: 1,
      prioritized: 0,
      'waiting-children': 0,
      completed: 10,
      failed: 0,
    },
    paused: false,
    oldestWaitingAgeMs: 5321,
    stalledCheck: true,
    error: null,
    workers: 1,
    attention: [],
    ...over,
  };
}

describe('attention and gates', () => {
  it('flags failed jobs, paused queues and queues nobody consumes', () => {
    expect(attentionOf(row())).toEqual([]);
    expect(attentionOf(row({ counts: { ...row().counts!, failed: 2 }, paused: true }))).toEqual([
      '2 failed',
      'paused',
    ]);
    expect(attentionOf(row({ workers: 0 }))).toEqual(['no worker while 3 wait']);
    expect(attentionOf(row({ workers: null, stalledCheck: false }))).toEqual([
      'no recent worker (no stalled-check key) while 3 wait',
    ]);
    expect(attentionOf(row({ workers: null, stalledCheck: true }))).toEqual([]);
  });

  it('names the queues over a limit', () => {
    const rows = [
      row(),
      row({ base: 'bull:x', counts: { ...row().counts!, failed: 5 }, oldestWaitingAgeMs: 120_500 }),
    ];
    expect(checkGates(rows, { maxFailed: 4, maxWaitingAgeSeconds: 60 })).toEqual([
      { queue: 'bull:x', rule: 'max-failed', value: 5, limit: 4 },
      { queue: 'bull:x', rule: 'max-waiting-age', value: 121, limit: 60 },
    ]);
    expect(checkGates(rows, {})).toEqual([]);
  });
});
