import type { Connection } from '../redis/connect.js';
import { hasHashTag, spreadProblem, type DiscoveredQueue } from './discover.js';
import { isMarker, jobKey, queueKey, type QueueKeySuffix } from './keys.js';
import {
  firstError,
  openReader,
  replyArray,
  replyNumber,
  runSteps,
  type Cmd,
  type Step,
} from './pipeline.js';
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

const lifoMark = '"lifo":true';
const delayedFirst = /"delay":\s*[1-9]/;
/** Priority levels read at most (as the script); probes per step of the LIFO boundary search. */
const maxLevels = 64;
const probesPerStep = 15;
const maxSearchSteps = 6;
const text = (v: unknown): string | null => (v === null || v === undefined ? null : scalarText(v));

async function readStatesPipelined(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
  now: () => number,
): Promise<QueueState[]> {
  const t0 = now();
  const reader = await openReader(conn, timeoutMs);
  try {
    return await runSteps(reader, queues, (step, q) => readOne(step, q.base, Math.floor(t0)));
  } finally {
    reader.close();
  }
}

/**
 * One queue without Lua, step by step like counts-lua.ts's script (the steps of all queues go
 * out together, runSteps): the counts, then the oldest waiting job over the wait and paused
 * lists (the tail, or, when the tail job is LIFO, the FIFO/LIFO boundary found by a search of
 * at most 6 steps of 15 LINDEX probes), the first job of each priority level (at most 64), and
 * the first overdue delayed job; the candidates' hashes (HMGET), and, when one may have come
 * back to wait, their latest `waiting` event with a `prev` in the events stream (at most 5,000
 * entries). Every read is bounded; nothing is written.
 */
async function readOne(step: Step, base: string, t0: number): Promise<QueueState> {
  const k = (s: QueueKeySuffix): string => queueKey(base, s);
  const first = await step([
    ['LLEN', k('wait')],
    ['LRANGE', k('wait'), -2, -1],
    ['LLEN', k('paused')],
    ['LRANGE', k('paused'), -2, -1],
    ['LLEN', k('active')],
    ...zsets.map((z): Cmd => ['ZCARD', k(z)]),
    ['HMGET', k('meta'), 'paused'],
    ['EXISTS', k('stalled-check')],
    ['ZRANGEBYSCORE', k('prioritized'), 0, '+inf', 'WITHSCORES', 'LIMIT', 0, 1],
    ['ZRANGEBYSCORE', k('delayed'), 0, (t0 + 1) * 4096 - 1, 'WITHSCORES', 'LIMIT', 0, 1],
  ]);
  const err = firstError(first);
  if (err) return unreadableState(err.message);
  const [waitLen, waitTail, pausedLen, pausedTail, activeLen, ...rest] = first;
  const wait = listFacts(replyNumber(waitLen), replyArray(waitTail));
  const paused = listFacts(replyNumber(pausedLen), replyArray(pausedTail));
  const z = rest.slice(0, zsets.length).map(replyNumber);
  const [metaPaused, stalled, firstPrio, firstDue] = rest.slice(zsets.length);
  const counts: JobCounts = {
    waiting: wait.count + paused.count,
    active: replyNumber(activeLen),
    delayed: z[0] ?? 0,
    prioritized: z[1] ?? 0,
    'waiting-children': z[2] ?? 0,
    completed: z[3] ?? 0,
    failed: z[4] ?? 0,
  };
  const job = new JobReads(step, base);
  await Promise.all([
    job.searchList(k('wait'), replyNumber(waitLen), wait),
    job.searchList(k('paused'), replyNumber(pausedLen), paused),
    job.levels(k('prioritized'), replyArray(firstPrio), counts.prioritized),
  ]);
  await job.correctFromEvents(k('events'));
  const ready = [...job.ready.values()].filter((x): x is number => x !== null);
  // [member, score] (RESP2): the first overdue delayed job is ready at its run time.
  const dueScore = text(replyArray(firstDue)[1]);
  if (dueScore !== null && Number.isFinite(Number(dueScore))) ready.push(Math.floor(Number(dueScore) / 4096));
  const oldest = ready.length > 0 ? Math.min(...ready) : null;
  return {
    counts,
    paused: text(replyArray(metaPaused)[0]) !== null,
    oldestWaitingAgeMs: oldest === null ? null : Math.max(t0 - oldest, 0),
    stalledCheck: replyNumber(stalled) > 0,
    error: null,
  };
}

/** The candidates for the oldest waiting job of one queue and what their hashes say. */
class JobReads {
  /** Job id → when it became ready (null: its hash has no timestamp). */
  readonly ready = new Map<string, number | null>();
  private readonly opts = new Map<string, string | null>();
  private mayReturn = false;

  constructor(
    private readonly step: Step,
    private readonly base: string,
  ) {}

  /** Read the hashes of ids not read yet (one step for all of them). */
  async add(ids: Array<string | null>): Promise<void> {
    const todo = [...new Set(ids)].filter(
      (id): id is string => id !== null && !isMarker(id) && !this.opts.has(id),
    );
    if (todo.length === 0) return;
    const replies = await this.step(
      todo.map((id): Cmd => [
        'HMGET',
        jobKey(this.base, id),
        'timestamp',
        'delay',
        'processedOn',
        'atm',
        'opts',
      ]),
    );
    todo.forEach((id, i) => {
      const [ts, delay, processedOn, atm, opts] = replyArray(replies[i]).map(text);
      this.opts.set(id, opts ?? null);
      this.ready.set(id, readyAt(ts ?? null, delay ?? null, processedOn ?? null));
      if (Number(atm) > 0 || (opts && delayedFirst.test(opts))) this.mayReturn = true;
    });
  }

  private isLifo(id: string | null): boolean {
    return id !== null && !isMarker(id) && (this.opts.get(id) ?? '').includes(lifoMark);
  }

  /**
   * FIFO jobs are LPUSHed and LIFO jobs RPUSHed: the list is [FIFO newest..oldest | LIFO
   * oldest..newest]. When the tail job is LIFO the oldest sit at the boundary, found by probing.
   */
  async searchList(
    key: string,
    len: number,
    facts: { count: number; oldestId: string | null },
  ): Promise<void> {
    await this.add([facts.oldestId]);
    if (!this.isLifo(facts.oldestId)) return;
    let lo = -1;
    let hi = facts.count - 1; // a trailing marker is past the last job
    let loId: string | null = null;
    let hiId = facts.oldestId;
    for (let s = 0; s < maxSearchSteps && hi - lo > 1; s++) {
      const gap = hi - lo - 1;
      const n = Math.min(probesPerStep, gap);
      const at = Array.from({ length: n }, (_, i) => lo + 1 + Math.floor(((i + 1) * gap) / (n + 1)));
      const probes = [...new Set(at)].filter((i) => i > lo && i < hi && i < len);
      const ids = (await this.step(probes.map((i): Cmd => ['LINDEX', key, i]))).map((r) => text(r[1]));
      await this.add(ids);
      const firstLifo = ids.findIndex((id) => this.isLifo(id));
      if (firstLifo === 0) {
        hi = probes[0] as number;
        hiId = ids[0] ?? null;
      } else {
        const j = firstLifo < 0 ? probes.length - 1 : firstLifo - 1;
        lo = probes[j] as number;
        loId = ids[j] ?? null;
        if (firstLifo > 0) {
          hi = probes[firstLifo] as number;
          hiId = ids[firstLifo] ?? null;
        }
      }
    }
    await this.add([hiId, loId]);
  }

  /** The first job of each priority level (score = priority·2³² + a counter), at most 64 levels. */
  async levels(key: string, first: unknown[], members: number): Promise<void> {
    let reply = first;
    for (let n = 0; n < Math.min(maxLevels, members) && reply.length >= 2; n++) {
      await this.add([text(reply[0])]);
      if (n + 1 >= Math.min(maxLevels, members)) break;
      const level = Math.floor(Number(text(reply[1])) / 2 ** 32) + 1;
      const [next] = await this.step([
        ['ZRANGEBYSCORE', key, level * 2 ** 32, '+inf', 'WITHSCORES', 'LIMIT', 0, 1],
      ]);
      reply = replyArray(next);
    }
  }

  /** A promoted or retried job waits from its latest `waiting` event that has a `prev` state. */
  async correctFromEvents(key: string): Promise<void> {
    const known = [...this.ready.values()].filter((x): x is number => x !== null);
    if (!this.mayReturn || known.length === 0) return;
    const since = Math.floor(Math.min(...known)) + 1;
    const [r] = await this.step([['XREVRANGE', key, '+', String(since), 'COUNT', 5000]]);
    for (const entry of replyArray(r)) {
      if (!Array.isArray(entry)) continue;
      const [id, fields] = entry as [unknown, unknown];
      const f = Array.isArray(fields) ? fields.map(text) : [];
      const get = (name: string): string | null => {
        for (let i = 0; i + 1 < f.length; i += 2) if (f[i] === name) return f[i + 1] ?? null;
        return null;
      };
      const jobId = get('jobId');
      const was = jobId === null ? undefined : this.ready.get(jobId);
      if (
        get('event') !== 'waiting' ||
        get('prev') === null ||
        jobId === null ||
        was === undefined ||
        was === null
      )
        continue;
      const ms = Number(/^(\d+)/.exec(text(id) ?? '')?.[1]);
      if (Number.isFinite(ms) && ms > was) this.ready.set(jobId, ms);
    }
  }
}
