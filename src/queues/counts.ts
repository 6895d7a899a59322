import type { Connection } from '../redis/connect.js';
import { hasHashTag, spreadProblem, type DiscoveredQueue } from './discover.js';
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

function parseState(r: PipelineReply[]): { state: QueueState; oldest: string[]; dueAt: number | null } {
  const [waitLen, waitTail, pausedLen, pausedTail, activeLen, ...rest] = r;
  const wait = listFacts(replyNumber(waitLen), replyArray(waitTail));
  const paused = listFacts(replyNumber(pausedLen), replyArray(pausedTail));
  const z = rest.slice(0, zsets.length).map(replyNumber);
  const meta = replyArray(rest[zsets.length]);
  const stalled = replyNumber(rest[zsets.length + 1]);
  const firstPrio = replyArray(rest[zsets.length + 2]).map((x) => scalarText(x));
  // [member, score] (RESP2) or [[member, score]] (RESP3): the first overdue delayed job's run time.
  const dueScore = Number(replyArray(rest[zsets.length + 3]).flat()[1]);
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
    oldest: [wait.oldestId, paused.oldestId, ...firstPrio].filter((x): x is string => x !== null),
    dueAt: Number.isFinite(dueScore) ? Math.floor(dueScore / 4096) : null,
  };
}

/** When a job became ready to wait: created (or its last attempt, for a retry) + its delay. */
export function readyAt(
  timestamp: string | null,
  delay: string | null,
  processedOn: string | null = null,
): number | null {
  let ts = Number(timestamp);
  if (!timestamp || !Number.isFinite(ts)) return null;
  const p = Number(processedOn);
  if (processedOn && Number.isFinite(p) && p > ts) ts = p;
  const d = Number(delay);
  return ts + (Number.isFinite(d) && d > 0 ? d : 0);
}

/** A queue discovery already knows cannot be read (spread over cluster slots, NOPERM on meta). */
export function unreadableState(problem: string): QueueState {
  return { counts: null, paused: false, oldestWaitingAgeMs: null, stalledCheck: false, error: problem };
}

/** Read only the queues without a known problem; the others get their problem as the error. */
export async function readReadable(
  conn: Connection,
  found: DiscoveredQueue[],
  read: (readable: DiscoveredQueue[]) => Promise<QueueState[]>,
): Promise<QueueState[]> {
  // Whoever discovered them, untagged queues on a cluster cannot be read as one unit.
  const queues = conn.isCluster
    ? found.map((q) => (q.problem || hasHashTag(q.base) ? q : { ...q, problem: spreadProblem(q.base) }))
    : found;
  const readable = queues.filter((q) => !q.problem);
  const states = readable.length > 0 ? await read(readable) : [];
  let at = 0;
  return queues.map((q) => (q.problem ? unreadableState(q.problem) : (states[at++] as QueueState)));
}

export async function readQueueStates(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<QueueState[]> {
  return readReadable(conn, queues, (readable) => readStatesPipelined(conn, readable, timeoutMs, now));
}

async function readStatesPipelined(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
  now: () => number,
): Promise<QueueState[]> {
  const t0 = now();
  const first = await pipelinePerItem(
    conn,
    queues,
    (c, q) => {
      const k = (s: QueueKeySuffix): string => queueKey(q.base, s);
      c.push(['LLEN', k('wait')], ['LRANGE', k('wait'), -2, -1], ['LLEN', k('paused')]);
      c.push(['LRANGE', k('paused'), -2, -1], ['LLEN', k('active')]);
      for (const z of zsets) c.push(['ZCARD', k(z)]);
      c.push(['HMGET', k('meta'), 'paused'], ['EXISTS', k('stalled-check')]);
      // The oldest prioritized job of the top level, and the first delayed job already due.
      c.push(['ZRANGE', k('prioritized'), 0, 0]);
      c.push(['ZRANGEBYSCORE', k('delayed'), 0, (Math.floor(t0) + 1) * 4096 - 1, 'WITHSCORES', 'LIMIT', 0, 1]);
    },
    timeoutMs,
  );
  const parsed = first.map(parseState);
  // Second round trip: the oldest waiting jobs' timestamps (their ids came from the first).
  const items = queues.map((q, i) => ({ base: q.base, ids: parsed[i]?.oldest ?? [] }));
  const second = await pipelinePerItem(
    conn,
    items,
    (c, it) => {
      for (const id of it.ids) c.push(['HMGET', `${it.base}:${id}`, 'timestamp', 'delay', 'processedOn']);
    },
    timeoutMs,
  );
  const t = t0;
  return parsed.map(({ state, dueAt }, i) => {
    const ready = (second[i] ?? [])
      .map((r) => {
        const [ts, delay, processed] = replyArray(r).map((x) =>
          x === null || x === undefined ? null : scalarText(x),
        );
        return readyAt(ts ?? null, delay ?? null, processed ?? null);
      })
      .filter((x): x is number => x !== null);
    if (dueAt !== null) ready.push(dueAt);
    const oldest = ready.length > 0 ? Math.min(...ready) : null;
    return { ...state, oldestWaitingAgeMs: oldest === null ? null : Math.max(t - oldest, 0) };
  });
}
