import { describe, expect, it } from 'vitest';
import { renderFrame, toQueuesWatchJson, type ViewState } from '../../src/commands/queues/render-watch.js';
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
