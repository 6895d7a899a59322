import { describe, expect, it } from 'vitest';
import { bucketEvents, groupReasons, parseMeta } from '../../src/queues/inspect.js';

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
