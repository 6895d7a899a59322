import type { Cluster, Redis } from 'ioredis';
import { bucketEvents, type MinuteStats } from './inspect.js';

/**
 * Completed and failed per minute, from the best source there is: BullMQ's own metrics
 * (`<q>:metrics:completed|failed`, written when workers run with `metrics: { maxDataPoints }`),
 * else the `events` stream, which is trimmed to about `opts.maxLenEvents` (10,000) entries: on a
 * busy queue it covers seconds, so we say which window it really covers.
 */
type Client = Redis | Cluster;

export interface Throughput {
  source: 'metrics' | 'events';
  minutes: MinuteStats[];
  /** events only: the stream was trimmed and its oldest entry is newer than the window's start. */
  eventsCoverFrom: number | null;
}

const minuteOf = (ms: number): number => Math.floor(ms / 60_000) * 60_000;

/**
 * collectMetrics.lua: on the first completion of a new minute it LPUSHes the count of the
 * minute of `prevTS` (count − prevCount) and a 0 for each minute skipped, then moves prevTS to
 * now. So data[i] is the minute `minute(prevTS) − 1 − i`, and completions since prevTS (all in
 * prevTS's minute) are `count − prevCount`.
 */
export function bucketMetrics(
  meta: { count: number; prevTS: number; prevCount: number },
  data: number[],
  start: number,
  minutes: number,
): number[] {
  const out = Array.from({ length: minutes }, () => 0);
  const put = (minute: number, n: number): void => {
    const i = Math.round((minute - start) / 60_000);
    if (i >= 0 && i < minutes) out[i] = (out[i] ?? 0) + n;
  };
  const last = minuteOf(meta.prevTS);
  put(last, Math.max(meta.count - meta.prevCount, 0));
  data.forEach((n, i) => put(last - (i + 1) * 60_000, n));
  return out;
}

async function readMetric(client: Client, base: string, type: 'completed' | 'failed', minutes: number) {
  const key = `${base}:metrics:${type}`;
  const [meta, data] = await Promise.all([
    client.hmget(key, 'count', 'prevTS', 'prevCount'),
    client.lrange(`${key}:data`, 0, minutes),
  ]);
  if (meta[1] === null || meta[1] === undefined) return null;
  return {
    meta: { count: Number(meta[0] ?? 0), prevTS: Number(meta[1]), prevCount: Number(meta[2] ?? 0) },
    data: data.map((d) => Number(d) || 0),
  };
}

export async function readThroughput(
  client: Client,
  base: string,
  now: number,
  minutes: number,
  maxLenEvents: number | null,
): Promise<Throughput> {
  const start = minuteOf(now) - (minutes - 1) * 60_000;
  const [completed, failed] = await Promise.all([
    readMetric(client, base, 'completed', minutes),
    readMetric(client, base, 'failed', minutes),
  ]);
  if (completed || failed) {
    const c = completed ? bucketMetrics(completed.meta, completed.data, start, minutes) : [];
    const f = failed ? bucketMetrics(failed.meta, failed.data, start, minutes) : [];
    return {
      source: 'metrics',
      eventsCoverFrom: null,
      minutes: Array.from({ length: minutes }, (_, i) => ({
        minute: start + i * 60_000,
        completed: c[i] ?? 0,
        failed: f[i] ?? 0,
      })),
    };
  }
  const key = `${base}:events`;
  // The stream is capped (~10k events by default), so the count bounds the reply too.
  const [entries, len, first] = await Promise.all([
    client.xrevrange(key, '+', String(start), 'COUNT', 20_000) as Promise<Array<[string, unknown[]]>>,
    client.xlen(key),
    client.xrange(key, '-', '+', 'COUNT', 1) as Promise<Array<[string, unknown[]]>>,
  ]);
  const firstMs = first[0] ? Number(first[0][0].split('-')[0]) : null;
  const trimmed = len >= (maxLenEvents ?? 10_000);
  return {
    source: 'events',
    minutes: bucketEvents(entries, now, minutes),
    eventsCoverFrom: trimmed && firstMs !== null && firstMs > start ? firstMs : null,
  };
}
