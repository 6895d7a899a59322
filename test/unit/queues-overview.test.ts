import { describe, expect, it } from 'vitest';
import { attentionOf, checkGates } from '../../src/commands/queues/overview.js';
import type { QueueRow } from '../../src/commands/queues/types.js';
import { parseChoice, parseCount, parseDuration } from '../../src/commands/queues/options.js';
import { listFacts, readyAt } from '../../src/queues/counts.js';
import { bucketEvents, groupReasons, parseMeta } from '../../src/queues/inspect.js';

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

describe('counts helpers', () => {
  it('a legacy "0:" marker at the tail is not a job', () => {
    expect(listFacts(3, ['2', '1'])).toEqual({ count: 3, oldestId: '1' });
    expect(listFacts(3, ['1', '0:123'])).toEqual({ count: 2, oldestId: '1' });
    expect(listFacts(1, ['0:123'])).toEqual({ count: 0, oldestId: null });
    expect(listFacts(0, [])).toEqual({ count: 0, oldestId: null });
  });

  it('a job is ready from its timestamp plus its delay', () => {
    expect(readyAt('1000', '500')).toBe(1500);
    expect(readyAt('1000', null)).toBe(1000);
    expect(readyAt(null, '5')).toBeNull();
  });
});

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

describe('show helpers', () => {
  it('groups failure reasons by their first line, most frequent first', () => {
    expect(groupReasons(['a\nstack', 'b', 'a', null])).toEqual([
      { reason: 'a', count: 2 },
      { reason: '(no reason)', count: 1 },
      { reason: 'b', count: 1 },
    ]);
  });

  it('buckets completed/failed events per minute', () => {
    const now = Date.UTC(2024, 0, 1, 12, 10, 30);
    const entries: Array<[string, unknown[]]> = [
      [`${Date.UTC(2024, 0, 1, 12, 10, 5)}-0`, ['event', 'completed', 'jobId', '1']],
      [`${Date.UTC(2024, 0, 1, 12, 9, 59)}-0`, ['event', 'failed', 'jobId', '2']],
      [`${Date.UTC(2024, 0, 1, 12, 9, 1)}-1`, ['event', 'added', 'jobId', '3']],
      [`${Date.UTC(2024, 0, 1, 11, 0, 0)}-0`, ['event', 'completed']],
    ];
    const b = bucketEvents(entries, now, 2);
    expect(b).toEqual([
      { minute: Date.UTC(2024, 0, 1, 12, 9), completed: 0, failed: 1 },
      { minute: Date.UTC(2024, 0, 1, 12, 10), completed: 1, failed: 0 },
    ]);
  });

  it('reads meta: global concurrency and rate limit', () => {
    expect(
      parseMeta({ concurrency: '4', max: '10', duration: '1000', 'opts.maxLenEvents': '10000' }),
    ).toEqual({ concurrency: 4, rateLimit: { max: 10, durationMs: 1000 }, maxLenEvents: 10000 });
    expect(parseMeta({})).toEqual({ concurrency: null, rateLimit: null, maxLenEvents: null });
  });
});

describe('flag parsing', () => {
  it('durations, counts and choices', () => {
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('soon')).toThrow(/invalid --grace: soon/);
    expect(parseCount('0', '--max-failed')).toBe(0);
    expect(() => parseCount('-1', '--max-failed')).toThrow(/invalid --max-failed/);
    expect(parseChoice('wait', '--state', ['waiting', 'failed'] as const)).toBe('waiting');
    expect(() => parseChoice('x', '--state', ['failed'] as const)).toThrow(/invalid --state/);
  });
});
