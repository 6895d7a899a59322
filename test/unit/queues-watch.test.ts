import { describe, expect, it } from 'vitest';
import { parseCounters, ratesBetween, type Counters } from '../../src/queues/watch.js';

const counts = {
  waiting: 0,
  active: 0,
  delayed: 0,
  prioritized: 0,
  'waiting-children': 0,
  completed: 0,
  failed: 0,
};

const counters = (over: Partial<Counters> = {}): Counters => ({
  added: 10,
  metricsCompleted: null,
  metricsFailed: null,
  lastEventId: '1-0',
  eventsCompleted: 0,
  eventsFailed: 0,
  eventsCapped: false,
  ...over,
});

describe('watch counters and rates', () => {
  it('counts completed and failed events after the last id seen, not that id itself', () => {
    const reply = [
      [null, '12'],
      [null, null],
      [null, null],
      [
        null,
        [
          ['1-0', ['event', 'completed']],
          ['2-0', ['event', 'completed', 'jobId', '4']],
          ['3-0', ['event', 'failed', 'jobId', '5']],
          ['4-0', ['event', 'active']],
        ],
      ],
    ] as Array<[Error | null, unknown]>;
    expect(parseCounters(reply, '1-0')).toEqual(
      counters({ added: 12, eventsCompleted: 1, eventsFailed: 1, lastEventId: '4-0' }),
    );
    // The first reading only notes where the stream ends (XREVRANGE + - COUNT 1).
    const first = parseCounters(
      [
        [null, '3'],
        [null, null],
        [null, null],
        [null, [['9-0', ['event', 'completed']]]],
      ],
      null,
    );
    expect(first).toMatchObject({ lastEventId: '9-0', eventsCompleted: 0 });
  });
  it('metrics totals win when workers collect them; else events or the grown sets', () => {
    const a = { counters: counters({ metricsCompleted: 100, metricsFailed: 5 }), counts };
    const b = { counters: counters({ added: 30, metricsCompleted: 140, metricsFailed: 7 }), counts };
    expect(ratesBetween(a, b, 2)).toEqual({
      added: 10,
      completed: 20,
      failed: 1,
      from: 'metrics',
      approximate: false,
    });
    const c = {
      counters: counters({ eventsCompleted: 3, eventsCapped: true }),
      counts: { ...counts, completed: 8 },
    };
    expect(ratesBetween({ counters: counters(), counts }, c, 1)).toEqual({
      added: 0,
      completed: 8,
      failed: 0,
      from: 'events',
      approximate: true,
    });
  });
});
