import { readQueueStates, type QueueState } from '../../queues/counts.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import {
  readFailedReasons,
  readJobs,
  readJobSchedulers,
  readMeta,
  readNextDelayedAt,
  readThroughput,
} from '../../queues/inspect.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import { workersOf } from '../../queues/workers.js';
import type { Connection } from '../../redis/connect.js';
import type { ShowOptions, ShowResult } from './types.js';

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
