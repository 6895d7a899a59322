import type { Connection } from '../redis/connect.js';
import type { DiscoveredQueue } from './discover.js';
import { isMarker, queueKey, type QueueKeySuffix } from './keys.js';
import { firstError, pipelinePerItem, replyArray, replyNumber, type PipelineReply } from './pipeline.js';
import { scalarText } from '../text.js';

/**
 * Job counts for every queue with plain LLEN/ZCARD/HMGET in pipelined round trips: exact for
 * every state, no Lua (so it works where EVAL is denied), and nothing is written. BullMQ's
 * getCounts Lua even RPOPs a legacy "0:" marker from the wait list; we subtract it instead.
 */
export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  'waiting-children': number;
  completed: number;
  failed: number;
}

export interface QueueState {
  counts: JobCounts | null;
  paused: boolean;
  /** Age of the oldest job in wait (and the v5 paused list), from when it became ready to run. */
  oldestWaitingAgeMs: number | null;
  /** `<base>:stalled-check` exists: a worker ran the stalled check within its interval (30 s). */
  stalledCheck: boolean;
  /** Why this queue could not be read (e.g. keys spread across cluster slots). */
  error: string | null;
}

const zsets = ['delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

/** LLEN minus a trailing marker, and the id of the oldest real job (the list's tail). */
export function listFacts(len: number, tail: unknown[]): { count: number; oldestId: string | null } {
  const ids = tail.map((x) => (x === null || x === undefined ? null : scalarText(x)));
  const last = ids[ids.length - 1] ?? null;
  if (isMarker(last))
    return { count: Math.max(len - 1, 0), oldestId: ids.length > 1 ? (ids[ids.length - 2] ?? null) : null };
  return { count: len, oldestId: last };
}

function parseState(r: PipelineReply[]): { state: QueueState; oldest: string[] } {
  const [waitLen, waitTail, pausedLen, pausedTail, activeLen, ...rest] = r;
  const wait = listFacts(replyNumber(waitLen), replyArray(waitTail));
  const paused = listFacts(replyNumber(pausedLen), replyArray(pausedTail));
  const z = rest.slice(0, zsets.length).map(replyNumber);
  const meta = replyArray(rest[zsets.length]);
  const stalled = replyNumber(rest[zsets.length + 1]);
  const err = firstError(r);
  const counts: JobCounts = {
    waiting: wait.count + paused.count,
    active: replyNumber(activeLen),
    delayed: z[0] ?? 0,
    prioritized: z[1] ?? 0,
    'waiting-children': z[2] ?? 0,
    completed: z[3] ?? 0,
    failed: z[4] ?? 0,
  };
  return {
    state: {
      counts: err ? null : counts,
      paused: meta[0] !== null && meta[0] !== undefined,
      oldestWaitingAgeMs: null,
      stalledCheck: stalled > 0,
      error: err ? err.message : null,
    },
    oldest: [wait.oldestId, paused.oldestId].filter((x): x is string => x !== null),
  };
}

/** When a job became ready to wait: created + its delay (a promoted delayed job waited only since then). */
export function readyAt(timestamp: string | null, delay: string | null): number | null {
  const ts = Number(timestamp);
  if (!timestamp || !Number.isFinite(ts)) return null;
  const d = Number(delay);
  return ts + (Number.isFinite(d) && d > 0 ? d : 0);
}

export async function readQueueStates(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<QueueState[]> {
  const first = await pipelinePerItem(
    conn,
    queues,
    (p, q) => {
      const k = (s: QueueKeySuffix): string => queueKey(q.base, s);
      p.llen(k('wait'))
        .lrange(k('wait'), -2, -1)
        .llen(k('paused'))
        .lrange(k('paused'), -2, -1)
        .llen(k('active'));
      for (const z of zsets) p.zcard(k(z));
      p.hmget(k('meta'), 'paused').exists(k('stalled-check'));
    },
    timeoutMs,
  );
  const parsed = first.map(parseState);
  // Second round trip: the oldest waiting jobs' timestamps (their ids came from the first).
  const items = queues.map((q, i) => ({ base: q.base, ids: parsed[i]?.oldest ?? [] }));
  const second = await pipelinePerItem(
    conn,
    items,
    (p, it) => {
      for (const id of it.ids) p.hmget(`${it.base}:${id}`, 'timestamp', 'delay');
    },
    timeoutMs,
  );
  const t = now();
  return parsed.map(({ state }, i) => {
    const ready = (second[i] ?? [])
      .map((r) => {
        const [ts, delay] = replyArray(r).map((x) => (x === null || x === undefined ? null : scalarText(x)));
        return readyAt(ts ?? null, delay ?? null);
      })
      .filter((x): x is number => x !== null);
    const oldest = ready.length > 0 ? Math.min(...ready) : null;
    return { ...state, oldestWaitingAgeMs: oldest === null ? null : Math.max(t - oldest, 0) };
  });
}
