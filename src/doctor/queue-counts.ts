import type { DiscoveredQueue } from '../queues/discover.js';
import type { AnyClient } from '../redis/connect.js';

/**
 * The few queue figures the CI gate needs, without Lua (EVAL may be denied): LLEN, ZCARD and
 * LINDEX, sent together on one connection so they travel as a pipeline. Deliberately minimal:
 * the `queues` command owns full inspection.
 */
export interface QueueCounts {
  base: string;
  waiting: number;
  failed: number;
  /** Age in seconds of the oldest waiting job; null when nothing waits or it has no timestamp. */
  oldestWaitingAgeSeconds: number | null;
}

export async function countQueues(client: AnyClient, queues: DiscoveredQueue[], now: number = Date.now()): Promise<QueueCounts[]> {
  return Promise.all(
    queues.map(async (q) => {
      // v6 keeps paused jobs in wait; v5 used a separate paused list. The oldest job is at the tail.
      const [wait, paused, failed, oldestWait, oldestPaused] = await Promise.all([
        client.llen(`${q.base}:wait`),
        client.llen(`${q.base}:paused`),
        client.zcard(`${q.base}:failed`),
        client.lindex(`${q.base}:wait`, -1),
        client.lindex(`${q.base}:paused`, -1),
      ]);
      const ids = [oldestWait, oldestPaused].filter((x): x is string => typeof x === 'string');
      const stamps = await Promise.all(ids.map((id) => client.hget(`${q.base}:${id}`, 'timestamp')));
      const times = stamps.map(Number).filter((t) => Number.isFinite(t) && t > 0);
      const oldest = times.length ? Math.min(...times) : null;
      return {
        base: q.base,
        waiting: wait + paused,
        failed,
        oldestWaitingAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)),
      };
    }),
  );
}
