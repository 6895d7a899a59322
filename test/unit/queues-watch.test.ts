import { describe, expect, it } from 'vitest';
import { renderFrame, toQueuesWatchJson, type ViewState } from '../../src/commands/queues/render-watch.js';
import type { WatchRow, WatchSnapshot } from '../../src/commands/queues/types.js';
import { sortByAttention } from '../../src/commands/queues/watch.js';
import { parseCounters, ratesBetween, type Counters } from '../../src/queues/watch.js';
import { bucketSeries, sparkline } from '../../src/ui/sparkline.js';

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

describe('sparkline', () => {
  it('scales to the largest point; zero is the lowest block, unknown a space', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([null, 3])).toBe(' █');
    expect(sparkline([1, 100])).toBe('▂█');
  });
  it('buckets the newest samples into points, right-aligned', () => {
    expect(bucketSeries([1, 1, 1, 1, 1], 2, 10)).toEqual([1, 2, 2]);
    expect(bucketSeries([1, 2, 3, 4], 1, 2)).toEqual([3, 4]);
    expect(bucketSeries([null, null, 5], 2, 5)).toEqual([null, 5]);
  });
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

describe('watch view', () => {
  const view: ViewState = { selected: 0, filter: '', typing: null, prompt: null, message: null };
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
  it('draws the frame within the width; the narrow one keeps the name and the failures', () => {
    const wide = renderFrame(snap, view, 140, 20);
    expect(wide[0]).toBe('queues --watch · 3 queues · 12:00:00 UTC · every 2s · redis://127.0.0.1:6390');
    expect(wide.join('\n')).toMatch(/> +bull:failing .* 0\.5 .*▂▃▄▁█ +failing: 0\.5\/s/);
    const narrow = renderFrame(snap, { ...view, filter: 'st' }, 60, 20);
    expect(narrow.every((l) => [...l].length <= 59)).toBe(true);
    expect(narrow[0]).toMatch(/^queues --watch · filter "st": 1 of 3/);
    expect(narrow.join('\n')).toContain('bull:stuck: no worker while 4 wait');
    expect(narrow.join('\n')).not.toContain('bull:failing');
  });
  it('NDJSON leaves the history out and rounds the rates', () => {
    const json = toQueuesWatchJson(snap);
    expect(json.queues[0]).toEqual({
      prefix: 'bull',
      name: 'failing',
      key: 'bull:failing',
      paused: false,
      counts,
      workers: 1,
      oldestWaitingAgeMs: null,
      rates,
      attention: ['failing: 0.5/s'],
      error: null,
    });
    expect(json.time).toBe('2026-01-01T12:00:00.000Z');
  });
});
