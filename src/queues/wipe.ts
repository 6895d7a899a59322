import type { Connection } from '../redis/connect.js';
import { withTimeout } from '../redis/timeout.js';
import type { JobCounts } from './counts.js';
import type { DiscoveredQueue } from './discover.js';
import { openQueue } from './job-actions.js';
import { jobKey, queueKey } from './keys.js';

/**
 * `queues drain` and `queues obliterate` through BullMQ: drain (queue.drain: wait, paused and
 * prioritized jobs, and delayed ones with --delayed; the next delayed job of each job scheduler
 * stays) and obliterate (pause, then BullMQ's obliterate script in batches of 1,000 jobs, the
 * loop queue.obliterate runs, so Ctrl-C can stop it between batches and say how far it got).
 */
export type WipeAction = 'drain' | 'obliterate';

/** Active jobs and how many of them a worker holds (a lock key exists), from at most `sample` ids. */
export interface Held {
  active: number;
  locked: number;
  /** The lock count covers only the first `sample` active jobs. */
  sampled: boolean;
}

export async function readHeld(
  conn: Connection,
  queue: DiscoveredQueue,
  timeoutMs: number,
  sample = 1000,
): Promise<Held> {
  const c = conn.client;
  const [active, ids] = await withTimeout(
    Promise.all([
      c.llen(queueKey(queue.base, 'active')),
      c.lrange(queueKey(queue.base, 'active'), 0, sample - 1),
    ]),
    timeoutMs,
    'reading active jobs',
  );
  const p = c.pipeline();
  for (const id of ids) p.exists(`${jobKey(queue.base, id)}:lock`);
  const replies = ids.length > 0 ? ((await withTimeout(p.exec(), timeoutMs, 'reading locks')) ?? []) : [];
  const locked = replies.filter(([err, v]) => !err && v === 1).length;
  return { active, locked, sampled: active > ids.length };
}

/** The states each action empties (what the plan counts). */
export function goneStates(action: WipeAction, delayed: boolean): Array<keyof JobCounts> {
  if (action === 'obliterate')
    return ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'];
  return delayed ? ['waiting', 'prioritized', 'delayed'] : ['waiting', 'prioritized'];
}

export interface WipeControl {
  stopped: () => boolean;
  /** After each obliterate batch (tests freeze or interrupt here). */
  progress?: (batches: number) => void;
}

/** Run it. Returns false when Ctrl-C stopped obliterate between batches. */
export async function runWipe(
  conn: Connection,
  queue: DiscoveredQueue,
  action: WipeAction,
  opts: { delayed: boolean; force: boolean; timeoutMs: number },
  control: WipeControl,
): Promise<boolean> {
  const q = await openQueue(conn, queue);
  const step = <T>(p: Promise<T>): Promise<T> => withTimeout(p, opts.timeoutMs, `BullMQ ${action}`);
  try {
    if (action === 'drain') {
      await step(q.drain(opts.delayed));
      return true;
    }
    await step(q.pause());
    const backend = q.backend as unknown as {
      obliterate(o: { count: number; force: boolean }): Promise<number>;
    };
    for (let batches = 1; ; batches++) {
      const cursor = await step(backend.obliterate({ count: 1000, force: opts.force }));
      control.progress?.(batches);
      if (!cursor) return true;
      if (control.stopped()) return false;
    }
  } finally {
    await q.close().catch(() => undefined);
  }
}
