import { CliError } from '../errors.js';
import type { Connection } from '../redis/connect.js';
import { probeScripting } from './access.js';
import { refuseAction } from './actions.js';
import type { DiscoveredQueue } from './discover.js';
import { queueKey } from './keys.js';
import { readRole } from './role.js';
import { withTimeout } from '../redis/timeout.js';

/**
 * What every action checks before it shows a plan: a queue BullMQ may act on (not an old
 * `bull` queue, not spread over cluster slots), a writable server (not a replica), and a
 * user that may run Lua (BullMQ acts through scripts). Each refusal is one line, exit 2.
 */
export async function assertCanAct(
  conn: Connection,
  found: DiscoveredQueue,
  action: string,
  timeoutMs: number,
): Promise<DiscoveredQueue> {
  const queue = await classifyQueue(conn, found, timeoutMs);
  const refusal = refuseAction(action, queue);
  if (refusal) throw refusal;
  await assertWritable(conn, `${action} ${queue.base}`, timeoutMs);
  return queue;
}

/**
 * Only BullMQ's Queue writes `meta.version`: a queue that only FlowProducers and workers ever
 * touched has none, like an old `bull` queue. BullMQ adds an event to `<base>:events` (a stream)
 * for every job it adds; Bull 3/4 never writes a stream (its events are pub/sub). So a queue
 * without a version but with that stream is BullMQ's, and may be acted on ("bullmq": version
 * unknown).
 */
export async function classifyQueue(
  conn: Connection,
  queue: DiscoveredQueue,
  timeoutMs: number,
): Promise<DiscoveredQueue> {
  if (queue.version !== null || queue.problem) return queue;
  const type = await withTimeout(conn.client.type(queueKey(queue.base, 'events')), timeoutMs, 'TYPE events');
  return type === 'stream' ? { ...queue, version: 'bullmq' } : queue;
}

/** The server half of assertCanAct (once per run for actions across queues). */
export async function assertWritable(conn: Connection, what: string, timeoutMs: number): Promise<void> {
  if (!conn.isCluster && (await readRole(conn.client, timeoutMs)) === 'replica')
    throw new CliError(
      `cannot ${what}: the server is a read-only replica (writes answer READONLY); nothing changed`,
      'connect to the primary (the writable endpoint)',
    );
  const scripting = await probeScripting(conn.client, timeoutMs);
  if (!scripting.allowed)
    throw new CliError(
      `cannot ${what}: EVAL is denied for this user (${scripting.error})`,
      'BullMQ acts through Lua scripts: use a user with +@scripting (ACL SETUSER <user> +@scripting)',
    );
}

/**
 * A server's refusal while writing, named: READONLY (a replica), NOPERM (a user that may run
 * EVAL but not the writes inside it), or anything else with the first line of its message.
 * `so` says what was done before it (", retried 3 of 10 jobs" or "; nothing changed").
 */
export function writeError(err: unknown, what: string, queue: DiscoveredQueue, so: string): CliError {
  if (err instanceof CliError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/READONLY/.test(message))
    return new CliError(
      `cannot ${what}: the server is a read-only replica (READONLY)${so}`,
      'connect to the primary (the writable endpoint)',
    );
  if (/NOPERM|user executing the script can't run this command/.test(message))
    return new CliError(
      `cannot ${what}: this user may not write the queue's keys (NOPERM)${so}`,
      `grant write access to the queue's keys (ACL SETUSER <user> ~${queue.prefix}:* +@write) or use another user`,
    );
  const first = (message.split('\n')[0] ?? message).replace(/^ERR (Error running script[^:]*: )?/, '');
  return new CliError(
    `${what} stopped: ${first}${so}`,
    'check that the server is up and reachable (redis-ops doctor), then run the same command again',
  );
}
