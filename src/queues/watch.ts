import type { Connection } from '../redis/connect.js';
import type { DiscoveredQueue } from './discover.js';
import type { JobCounts } from './counts.js';
import { queueKey } from './keys.js';
import { pipelinePerItem, replyArray, type Cmd, type PipelineReply } from './pipeline.js';
import { scalarText } from '../text.js';

/**
 * `queues --watch`'s counters: what changed between two readings of the same queues. Each
 * interval costs the server what `queues` costs (the counts, read by the caller), plus four
 * commands per queue, all in one pipeline and never per job:
 *  - `GET <q>:id`: BullMQ INCRs it for every job added (custom ids included), so its delta is
 *    jobs added;
 *  - `HGET <q>:metrics:completed|failed count`: exact running totals where workers collect
 *    metrics (`metrics: { maxDataPoints }`);
 *  - otherwise the events stream since the last entry seen (`XRANGE <q>:events <last> + COUNT
 *    1001`): completed and failed events counted. More than 1000 new entries in one interval
 *    means the figure is a lower bound (flagged `approximate`); the first reading only notes
 *    where the stream ends (`XREVRANGE + - COUNT 1`).
 */
export interface Counters {
  /** `<q>:id`: the last job id handed out (null: no such key). */
  added: number | null;
  /** metrics totals, when workers collect metrics. */
  metricsCompleted: number | null;
  metricsFailed: number | null;
  /** Newest events stream id seen so far; null when the stream is empty or missing. */
  lastEventId: string | null;
  /** completed / failed events newer than the previous reading's lastEventId. */
  eventsCompleted: number;
  eventsFailed: number;
  /** The events read hit the cap: more happened than was counted. */
  eventsCapped: boolean;
}

export interface Rates {
  /** Per second over the interval. */
  added: number | null;
  completed: number;
  failed: number;
  /** metrics: BullMQ's metrics keys (exact); events: the events stream (and the completed/failed sets). */
  from: 'metrics' | 'events';
  /** A lower bound: the stream had more new entries than one read takes. */
  approximate: boolean;
}

const eventsCap = 1000;
const num = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  const n = Number(scalarText(v));
  return Number.isFinite(n) ? n : null;
};

function addCommands(c: Cmd[], base: string, lastEventId: string | null): void {
  c.push(
    ['GET', queueKey(base, 'id')],
    ['HGET', `${base}:metrics:completed`, 'count'],
    ['HGET', `${base}:metrics:failed`, 'count'],
  );
  const events = queueKey(base, 'events');
  if (lastEventId === null) c.push(['XREVRANGE', events, '+', '-', 'COUNT', 1]);
  else c.push(['XRANGE', events, lastEventId, '+', 'COUNT', eventsCap + 1]);
}

/** Stream entries as [id, fields] pairs, whatever the protocol (RESP2 arrays, RESP3 the same). */
function entriesOf(reply: PipelineReply | undefined): Array<[string, string[]]> {
  return replyArray(reply).map((e) => {
    const [id, fields] = Array.isArray(e) ? (e as unknown[]) : [];
    return [scalarText(id), Array.isArray(fields) ? fields.map((f) => scalarText(f)) : []];
  });
}

export function parseCounters(replies: PipelineReply[], lastEventId: string | null): Counters {
  const [id, mc, mf, events] = replies;
  const ok = (r: PipelineReply | undefined): unknown => (r && !r[0] ? r[1] : null);
  const fresh = lastEventId === null;
  // XRANGE from the last id includes that entry itself: skip it.
  const entries = entriesOf(events).filter(([eid]) => eid !== lastEventId);
  let completed = 0;
  let failed = 0;
  if (!fresh) {
    for (const [, f] of entries) {
      const event = f[f.indexOf('event') + 1];
      if (event === 'completed') completed++;
      else if (event === 'failed') failed++;
    }
  }
  const newest = entries.length > 0 ? (entries[fresh ? 0 : entries.length - 1]?.[0] ?? null) : null;
  return {
    added: num(ok(id)),
    metricsCompleted: num(ok(mc)),
    metricsFailed: num(ok(mf)),
    lastEventId: newest ?? lastEventId,
    eventsCompleted: completed,
    eventsFailed: failed,
    eventsCapped: !fresh && entries.length >= eventsCap,
  };
}

/** One pipelined round for every queue (one per queue on a cluster, all in flight together). */
export async function readCounters(
  conn: Connection,
  queues: DiscoveredQueue[],
  last: Map<string, Counters>,
  timeoutMs: number,
): Promise<Map<string, Counters>> {
  const readable = queues.filter((q) => !q.problem);
  const replies = await pipelinePerItem(
    conn,
    readable,
    (p, q) => addCommands(p, q.base, last.get(q.base)?.lastEventId ?? null),
    timeoutMs,
  );
  return new Map(
    readable.map((q, i) => [q.base, parseCounters(replies[i] ?? [], last.get(q.base)?.lastEventId ?? null)]),
  );
}

/**
 * Per-second rates between two readings. Completed and failed: the metrics totals' delta when
 * workers collect metrics; else the larger of the events counted and the growth of the
 * completed/failed sets (a set trimmed by removeOnComplete does not grow, the stream still does).
 */
export function ratesBetween(
  prev: { counters: Counters; counts: JobCounts | null },
  cur: { counters: Counters; counts: JobCounts | null },
  seconds: number,
): Rates {
  const s = Math.max(seconds, 0.001);
  const a = prev.counters;
  const b = cur.counters;
  const delta = (x: number | null, y: number | null): number | null =>
    x === null || y === null ? null : Math.max(y - x, 0);
  const added = delta(a.added, b.added);
  const mc = delta(a.metricsCompleted, b.metricsCompleted);
  const mf = delta(a.metricsFailed, b.metricsFailed);
  if (mc !== null || mf !== null)
    return {
      added: added === null ? null : added / s,
      completed: (mc ?? 0) / s,
      failed: (mf ?? 0) / s,
      from: 'metrics',
      approximate: false,
    };
  const grown = (k: 'completed' | 'failed'): number =>
    prev.counts && cur.counts ? Math.max(cur.counts[k] - prev.counts[k], 0) : 0;
  return {
    added: added === null ? null : added / s,
    completed: Math.max(b.eventsCompleted, grown('completed')) / s,
    failed: Math.max(b.eventsFailed, grown('failed')) / s,
    from: 'events',
    approximate: b.eventsCapped,
  };
}
