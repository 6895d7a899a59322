import { probeScripting } from '../../queues/access.js';
import { readQueueStates, type QueueState } from '../../queues/counts.js';
import { readQueueStatesLua } from '../../queues/counts-lua.js';
import { readStalled } from '../../queues/health.js';
import { findQueues } from '../../queues/load.js';
import { readRole } from '../../queues/role.js';
import { workersOf } from '../../queues/workers.js';
import type { Connection } from '../../redis/connect.js';
import type { QueueRow, QueuesOptions, QueuesResult, Violation } from './types.js';
import { formatCount } from '../../ui/format.js';

export function attentionOf(row: Omit<QueueRow, 'attention'>): string[] {
  const out: string[] = [];
  if (row.error) out.push(`unreadable: ${row.error}`);
  const c = row.counts;
  if (c && c.failed > 0) out.push(`${formatCount(c.failed)} failed`);
  if (row.paused) out.push('paused');
  const waiting = c ? c.waiting + c.prioritized : 0;
  if (waiting > 0 && !row.paused) {
    if (row.workers === 0) out.push(`no worker while ${waiting} wait`);
    if (row.workers === null && !row.stalledCheck)
      out.push(`no recent worker (no stalled-check key) while ${waiting} wait`);
  }
  return out;
}

export function checkGates(
  rows: QueueRow[],
  opts: Pick<QueuesOptions, 'maxFailed' | 'maxWaitingAgeSeconds'>,
): Violation[] {
  const out: Violation[] = [];
  const gated = opts.maxFailed !== undefined || opts.maxWaitingAgeSeconds !== undefined;
  for (const r of rows) {
    if (gated && (r.error || !r.counts)) {
      out.push({
        queue: r.base,
        rule: 'unreadable',
        value: null,
        limit: null,
        error: r.error ?? 'no counts',
      });
      continue;
    }
    const failed = r.counts?.failed ?? 0;
    if (opts.maxFailed !== undefined && failed > opts.maxFailed)
      out.push({ queue: r.base, rule: 'max-failed', value: failed, limit: opts.maxFailed });
    const age = r.oldestWaitingAgeMs;
    if (opts.maxWaitingAgeSeconds !== undefined && age !== null && age > opts.maxWaitingAgeSeconds * 1000) {
      out.push({
        queue: r.base,
        rule: 'max-waiting-age',
        value: Math.round(age / 1000),
        limit: opts.maxWaitingAgeSeconds,
      });
    }
  }
  return out;
}

/**
 * Active jobs with nobody to run them: when a queue has active jobs and no worker (none
 * connected, or no recent stalled check), look at up to 10 of them for a lock. Bounded: only
 * such queues, 11 commands each.
 */
async function flagStalled(conn: Connection, rows: QueueRow[]): Promise<void> {
  const suspects = rows.filter(
    (r) => (r.counts?.active ?? 0) > 0 && (r.workers === 0 || (r.workers === null && !r.stalledCheck)),
  );
  await Promise.all(
    suspects.map(async (r) => {
      const s = await readStalled(conn.client, r.base, 10);
      if (s.unlocked.length > 0)
        r.attention.push(
          `stalled: ${s.unlocked.length} of ${formatCount(s.examined)} active jobs looked at have no lock and no worker runs`,
        );
    }),
  );
}

export async function listQueues(
  conn: Connection,
  target: string,
  opts: QueuesOptions,
): Promise<QueuesResult> {
  const [{ queues, clients }, scripting, role] = await Promise.all([
    findQueues(conn, opts.prefixes),
    probeScripting(conn.client, opts.timeoutMs),
    conn.isCluster ? Promise.resolve('primary' as const) : readRole(conn.client, opts.timeoutMs),
  ]);
  // Workers connect to the primary: on a replica CLIENT LIST shows none, so liveness comes from
  // the replicated stalled-check key instead.
  const onReplica = role === 'replica';
  // Both ways are exact; the script is one command per queue instead of a dozen.
  const states = scripting.allowed
    ? await readQueueStatesLua(conn, queues, opts.timeoutMs, opts.now)
    : await readQueueStates(conn, queues, opts.timeoutMs, opts.now);
  const rows = queues.map((q, i): QueueRow => {
    const state = states[i] as QueueState;
    const workers = onReplica ? null : workersOf(clients, q.prefix, q.name);
    const row = {
      base: q.base,
      prefix: q.prefix,
      name: q.name,
      version: q.version,
      split: q.split,
      ...state,
      workers: workers === null ? null : workers.length,
    };
    return { ...row, attention: attentionOf(row) };
  });
  await flagStalled(conn, rows);
  return {
    target,
    cluster: conn.isCluster,
    queues: rows,
    workersKnown: clients.available && !onReplica,
    onReplica,
    scripting,
    countsFrom: scripting.allowed ? 'lua' : 'pipeline',
    violations: checkGates(rows, opts),
  };
}
