import type { Cluster, Redis } from 'ioredis';
import { jobKey, queueKey, type JobState } from './keys.js';

/**
 * One job in full, read with plain commands (no Lua, nothing written): its hash, the state
 * it is in (membership of each state key), its logs, its lock, and its flow relations.
 */
type Client = Redis | Cluster;

export interface JobDetail {
  id: string;
  state: JobState | 'unknown';
  name: string | null;
  /** The stored data string, as BullMQ wrote it (JSON). */
  dataRaw: string | null;
  data: unknown;
  opts: Record<string, unknown> | null;
  attemptsMade: number;
  attemptsStarted: number | null;
  /** opts.attempts: how many attempts are allowed (1 when not set). */
  attemptsAllowed: number;
  backoff: unknown;
  timestamp: number | null;
  processedOn: number | null;
  finishedOn: number | null;
  /** timestamp + delay for a delayed job. */
  delayUntil: number | null;
  priority: number | null;
  progress: unknown;
  returnValue: unknown;
  failedReason: string | null;
  /** One stack trace per failed attempt (BullMQ keeps the last `opts.stackTraceLimit`). */
  stacktraces: string[];
  logs: { total: number; lines: string[] };
  /** The flow parent, as `<base>:<id>` of the parent's queue. */
  parent: string | null;
  children: { pending: string[]; processed: number; failed: number };
  deduplicationId: string | null;
  /** The worker that processed it last (BullMQ stores `pb` when the worker has a name). */
  processedBy: string | null;
  stalledCounter: number;
  /** Its lock token and time left, when a worker holds it (active jobs). */
  lock: { token: string; ttlMs: number | null } | null;
}

const num = (v: string | undefined): number | null => {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

function parseJson(v: string | undefined): unknown {
  if (v === undefined) return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/**
 * How far LPOS looks into a list, from each end. LPOS without MAXLEN compares every element: on
 * a wait list of 500,000 ids that is the whole list per call. With a bound a list of up to
 * 2 × listWindow ids is still searched completely (head and tail).
 */
const listWindow = 10_000;

/**
 * Which state key holds the id: sorted sets by ZSCORE, lists by LPOS from both ends within
 * `listWindow`. A job in no sorted set and not found in the lists is `active` when its lock is
 * held (a worker has it), else `waiting` when a list was too long to search in full (the same
 * inference `queues flow` makes), else `unknown`.
 */
async function findState(
  client: Client,
  base: string,
  id: string,
  locked: boolean,
): Promise<JobState | 'unknown'> {
  const zsets = ['completed', 'failed', 'delayed', 'prioritized', 'waiting-children'] as const;
  const lists = ['active', 'wait', 'paused'] as const;
  const max = String(listWindow);
  const [scores, found] = await Promise.all([
    Promise.all(zsets.map((z) => client.zscore(queueKey(base, z), id))),
    Promise.all(
      lists.map(async (l) => {
        const key = queueKey(base, l);
        const [head, tail, len] = await Promise.all([
          client.call('LPOS', key, id, 'MAXLEN', max),
          client.call('LPOS', key, id, 'RANK', '-1', 'MAXLEN', max),
          client.llen(key),
        ]);
        return { hit: head !== null || tail !== null, partial: len > 2 * listWindow };
      }),
    ),
  ]);
  const z = zsets.find((_, i) => scores[i] !== null);
  if (z) return z;
  const [active, wait, paused] = found as [(typeof found)[0], (typeof found)[0], (typeof found)[0]];
  if (active.hit) return 'active';
  if (wait.hit || paused.hit) return 'waiting';
  if (locked) return 'active';
  if (wait.partial || paused.partial) return 'waiting';
  return 'unknown';
}

export async function readJobDetail(
  client: Client,
  base: string,
  id: string,
  logLimit = 100,
): Promise<JobDetail | null> {
  const key = jobKey(base, id);
  const h = await client.hgetall(key);
  if (Object.keys(h).length === 0) return null;
  const [logTotal, logs, lockToken, lockTtl, pending, processed, failed] = await Promise.all([
    client.llen(`${key}:logs`),
    client.lrange(`${key}:logs`, -logLimit, -1),
    client.get(`${key}:lock`),
    client.pttl(`${key}:lock`),
    client.smembers(`${key}:dependencies`),
    client.hlen(`${key}:processed`),
    client.hlen(`${key}:failed`),
  ]);
  const state = await findState(client, base, id, lockToken !== null);
  const opts = parseJson(h.opts);
  const o = opts !== null && typeof opts === 'object' ? (opts as Record<string, unknown>) : null;
  const stack = parseJson(h.stacktrace);
  const timestamp = num(h.timestamp);
  const delay = num(h.delay);
  return {
    id,
    state,
    name: h.name ?? null,
    dataRaw: h.data ?? null,
    data: parseJson(h.data),
    opts: o,
    attemptsMade: num(h.atm) ?? num(h.attemptsMade) ?? 0,
    attemptsStarted: num(h.ats),
    attemptsAllowed: typeof o?.attempts === 'number' ? o.attempts : 1,
    backoff: o?.backoff ?? null,
    timestamp,
    processedOn: num(h.processedOn),
    finishedOn: num(h.finishedOn),
    delayUntil: state === 'delayed' && timestamp !== null && delay ? timestamp + delay : null,
    priority: num(h.priority),
    progress: parseJson(h.progress),
    returnValue: parseJson(h.returnvalue),
    failedReason: h.failedReason ?? null,
    stacktraces: Array.isArray(stack) ? stack.map(String) : [],
    logs: { total: logTotal, lines: logs },
    parent: h.parentKey ?? null,
    children: { pending: pending.map((k) => k.slice(k.lastIndexOf(':') + 1)), processed, failed },
    deduplicationId: h.deid ?? null,
    processedBy: h.pb ?? null,
    stalledCounter: num(h.stc) ?? 0,
    lock: lockToken === null ? null : { token: lockToken, ttlMs: lockTtl >= 0 ? lockTtl : null },
  };
}
