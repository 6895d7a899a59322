import { probeScripting } from '../../queues/access.js';
import { readQueueStates, type QueueState } from '../../queues/counts.js';
import { readQueueStatesLua } from '../../queues/counts-lua.js';
import { readLimiter } from '../../queues/health.js';
import { sampleStalled } from '../../queues/stalled.js';
import { readRole } from '../../queues/role.js';
import { readThroughput } from '../../queues/throughput.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import {
  readFailedReasons,
  readJobs,
  readJobSchedulers,
  readMeta,
  readNextDelayedAt,
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
  const [scripting, meta, role] = await Promise.all([
    probeScripting(c, opts.timeoutMs),
    readMeta(c, queue.base),
    conn.isCluster ? Promise.resolve('primary' as const) : readRole(c, opts.timeoutMs),
  ]);
  const [[state], nextDelayedAt, failed, throughput, jobSchedulers, jobs, limiter, stalled] =
    await Promise.all([
      scripting.allowed
        ? readQueueStatesLua(conn, [queue], opts.timeoutMs, () => now)
        : readQueueStates(conn, [queue], opts.timeoutMs, () => now),
      readNextDelayedAt(c, queue.base),
      readFailedReasons(c, queue.base, opts.limit),
      readThroughput(c, queue.base, now, opts.minutes, meta.maxLenEvents),
      readJobSchedulers(c, queue.base),
      opts.jobs ? readJobs(c, queue.base, opts.jobs, opts.jobsLimit) : Promise.resolve(null),
      readLimiter(c, queue.base, meta.rateLimit),
      // Up to 100 active jobs (their locks, stalledCounter) and the last 10 failures.
      sampleStalled(conn, [{ base: queue.base, active: 1, failed: 1 }], opts.timeoutMs, {
        active: 100,
        failed: 10,
      }).then(
        (s) => s[0] ?? { examined: 0, unlocked: [], stalledBefore: 0, failedExamined: 0, failedStalled: 0 },
      ),
    ]);
  // Workers connect to the primary: a replica's CLIENT LIST never shows them.
  const workers = role === 'replica' ? null : workersOf(clients, queue.prefix, queue.name);
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
    role,
    nextDelayedAt,
    failed,
    throughput: throughput.minutes,
    throughputFrom: throughput.source,
    eventsCoverFrom: throughput.eventsCoverFrom,
    limiter,
    stalled,
    jobSchedulers,
    jobs: opts.jobs && jobs ? { state: opts.jobs, items: jobs } : null,
    now,
  };
}
