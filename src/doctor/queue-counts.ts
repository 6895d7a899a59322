import { probeScripting } from '../queues/access.js';
import { readQueueStates } from '../queues/counts.js';
import { readQueueStatesLua } from '../queues/counts-lua.js';
import type { DiscoveredQueue } from '../queues/discover.js';
import type { Connection } from '../redis/connect.js';

/**
 * The few queue figures the CI gate needs, read with the `queues` command's own engine: the
 * read-only script where EVAL is allowed (its oldest-waiting age covers prioritized, LIFO,
 * overdue delayed and retried/promoted jobs), pipelined reads where it is denied.
 */
export interface QueueCounts {
  base: string;
  waiting: number;
  failed: number;
  /** Age in seconds of the oldest waiting job (since it became ready); null when nothing waits. */
  oldestWaitingAgeSeconds: number | null;
  /** Why this queue could not be read (its figures above are then 0 and must not pass a gate). */
  error: string | null;
}

export async function countQueues(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
): Promise<QueueCounts[]> {
  const scripting = await probeScripting(conn.client, timeoutMs);
  const states = scripting.allowed
    ? await readQueueStatesLua(conn, queues, timeoutMs)
    : await readQueueStates(conn, queues, timeoutMs);
  return states.map((s, i) => ({
    base: queues[i]?.base ?? '',
    waiting: s.counts?.waiting ?? 0,
    failed: s.counts?.failed ?? 0,
    oldestWaitingAgeSeconds:
      s.oldestWaitingAgeMs === null ? null : Math.max(0, Math.round(s.oldestWaitingAgeMs / 1000)),
    error: s.error ?? (s.counts ? null : 'no counts'),
  }));
}
