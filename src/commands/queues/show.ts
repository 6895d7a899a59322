import { readQueueStates, type QueueState } from '../../queues/counts.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import {
  readFailedReasons,
  readJobs,
  readJobSchedulers,
  readMeta,
  readNextDelayedAt,
  readThroughput,
  type JobState,
  type JobSummary,
  type MinuteStats,
  type QueueMeta,
  type ReasonCount,
} from '../../queues/inspect.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import { workersOf } from '../../queues/workers.js';
import type { Connection } from '../../redis/connect.js';

export interface ShowOptions {
  name: string;
  prefixes: string[];
  /** Failed jobs to group reasons over (most recent first). */
  limit: number;
  /** List jobs in this state. */
  jobs?: JobState;
  jobsLimit: number;
  minutes: number;
  timeoutMs: number;
  now?: () => number;
}

export interface WorkerInfo {
  /** The worker's name (`:w:<name>` in its client name), null for unnamed workers. */
  name: string | null;
  addr: string;
  idleSeconds: number;
  ageSeconds: number;
}

export interface ShowResult extends QueueState {
  target: string;
  queue: DiscoveredQueue;
  meta: QueueMeta;
  /** null when CLIENT LIST is denied. */
  workers: WorkerInfo[] | null;
  nextDelayedAt: number | null;
  failed: { sampled: number; reasons: ReasonCount[] };
  throughput: MinuteStats[];
  jobSchedulers: number;
  jobs: { state: JobState; items: JobSummary[] } | null;
  now: number;
}

function workerName(clientName: string, q: DiscoveredQueue): string | null {
  const stem = `${q.prefix}:${Buffer.from(q.name).toString('base64')}:w:`;
  return clientName.startsWith(stem) ? clientName.slice(stem.length) : null;
}

export async function showQueue(conn: Connection, target: string, opts: ShowOptions): Promise<ShowResult> {
  const { queues, clients } = await findQueues(conn, opts.prefixes);
  const queue = pickQueue(queues, opts.name, opts.prefixes);
  const c = conn.client;
  const now = (opts.now ?? Date.now)();
  const [[state], meta, nextDelayedAt, failed, throughput, jobSchedulers, jobs] = await Promise.all([
    readQueueStates(conn, [queue], opts.timeoutMs, () => now),
    readMeta(c, queue.base),
    readNextDelayedAt(c, queue.base),
    readFailedReasons(c, queue.base, opts.limit),
    readThroughput(c, queue.base, now, opts.minutes),
    readJobSchedulers(c, queue.base),
    opts.jobs ? readJobs(c, queue.base, opts.jobs, opts.jobsLimit) : Promise.resolve(null),
  ]);
  const workers = workersOf(clients, queue.prefix, queue.name);
  return {
    ...(state as QueueState),
    target,
    queue,
    meta,
    workers:
      workers === null
        ? null
        : workers.map((w) => ({
            name: workerName(w.name, queue),
            addr: w.addr,
            idleSeconds: w.idleSeconds,
            ageSeconds: w.ageSeconds,
          })),
    nextDelayedAt,
    failed,
    throughput,
    jobSchedulers,
    jobs: opts.jobs && jobs ? { state: opts.jobs, items: jobs } : null,
    now,
  };
}
