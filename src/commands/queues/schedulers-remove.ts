import { CancelledError, CliError } from '../../errors.js';
import { probeScripting } from '../../queues/access.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import { findQueues, pickQueue } from '../../queues/load.js';
import { readRole } from '../../queues/role.js';
import { readScheduler, type SchedulerEntry } from '../../queues/schedulers.js';
import type { Connection } from '../../redis/connect.js';
import { withTimeout } from '../../redis/timeout.js';
import { describeScheduler } from './render-schedulers.js';
import type { SchedulerRemoveResult as RemoveResult } from './types.js';

export interface RemoveRequest {
  name: string;
  prefixes: string[];
  id: string;
  yes: boolean;
  dryRun: boolean;
  interactive: boolean;
  noPrompt: string;
  timeoutMs: number;
  confirm: (message: string) => Promise<boolean>;
  announce: (line: string) => void;
}

/** Why BullMQ must not act on this queue or scheduler (the same reasons as the queue actions). */
function refusal(queue: DiscoveredQueue, s: SchedulerEntry | null, id: string): CliError | null {
  if (queue.problem)
    return new CliError(
      `cannot remove a scheduler of ${queue.base}: ${queue.problem}`,
      "use a user that may read and write the queue's keys",
    );
  if (queue.version === null)
    return new CliError(
      `cannot remove a scheduler of ${queue.base}: it has no BullMQ meta version, so it is a queue of the old "bull" package (or its meta is lost)`,
      'remove it with bull itself (queue.removeRepeatableByKey(key)); redis-ops shows it read-only',
    );
  if (queue.name.includes(':'))
    return new CliError(
      `cannot remove a scheduler of ${queue.base}: BullMQ 6 refuses to open queue names with ':' ("${queue.name}")`,
      'act on it with the BullMQ version that created it',
    );
  if (!s)
    return new CliError(
      `no scheduler "${id}" in ${queue.base}`,
      `list them: redis-ops queues schedulers ${queue.base}`,
    );
  if (s.keyShaped)
    return new CliError(
      `cannot remove "${id}" of ${queue.base}: it is a legacy repeatable job of an old BullMQ, whose next job BullMQ 6's removeJobScheduler would leave behind`,
      'remove it with the BullMQ that created it: queue.removeRepeatableByKey(key)',
    );
  return null;
}

/** Plan, confirm, remove through BullMQ (its Lua also removes the next delayed job), verify. */
export async function removeScheduler(conn: Connection, req: RemoveRequest): Promise<RemoveResult> {
  const { queues } = await findQueues(conn, req.prefixes);
  const queue = pickQueue(queues, req.name, req.prefixes);
  const c = conn.client;
  const scheduler = queue.version === null ? null : await readScheduler(c, queue.base, req.id);
  const refused = refusal(queue, scheduler, req.id);
  if (refused || !scheduler) throw refused ?? new CliError(`no scheduler "${req.id}"`);
  if (!conn.isCluster && (await readRole(c, req.timeoutMs)) === 'replica')
    throw new CliError(
      `cannot remove a scheduler of ${queue.base}: the server is a read-only replica (writes answer READONLY); nothing changed`,
      'connect to the primary (the writable endpoint)',
    );
  const scripting = await probeScripting(c, req.timeoutMs);
  if (!scripting.allowed)
    throw new CliError(
      `cannot remove a scheduler of ${queue.base}: EVAL is denied for this user (${scripting.error})`,
      'BullMQ acts through Lua scripts: use a user with +@scripting (ACL SETUSER <user> +@scripting)',
    );
  const candidate = scheduler.next === null ? null : `repeat:${req.id}:${scheduler.next}`;
  const nextJob =
    candidate !== null && (await c.zscore(`${queue.base}:delayed`, candidate)) !== null ? candidate : null;
  const plan = `remove ${scheduler.kind === 'legacy' ? 'repeatable job' : 'job scheduler'} "${req.id}" of ${queue.base} (${describeScheduler(scheduler)})${nextJob ? ` and its next job ${nextJob} in delayed` : ''}`;
  req.announce(plan);
  const base = { queue, scheduler, nextJob, plan };
  if (req.dryRun) return { ...base, dryRun: true, removed: null };
  if (!req.yes) {
    if (!req.interactive)
      throw new CliError(
        `refusing to remove without confirmation: ${req.noPrompt}`,
        'pass --yes to confirm, or --dry-run to preview',
      );
    if (!(await req.confirm(`${plan}?`))) throw new CancelledError('cancelled: nothing changed');
  }
  const { Queue } = await import('bullmq');
  const q = new Queue(queue.name, {
    connection: c,
    prefix: queue.prefix,
    skipMetasUpdate: true,
    skipVersionCheck: true,
  });
  q.on('error', () => undefined);
  try {
    await withTimeout(q.removeJobScheduler(req.id), req.timeoutMs, 'BullMQ removeJobScheduler');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new CliError(
      `removing "${req.id}" of ${queue.base} failed: ${message.split('\n')[0]}`,
      'check the server (redis-ops doctor) and run the same command again',
    );
  } finally {
    await q.close().catch(() => undefined);
  }
  const gone = (await c.zscore(`${queue.base}:repeat`, req.id)) === null;
  return { ...base, dryRun: false, removed: gone };
}
