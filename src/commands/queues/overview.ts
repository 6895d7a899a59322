import { probeScripting } from '../../queues/access.js';
import { readQueueStates, type QueueState } from '../../queues/counts.js';
import { readQueueStatesLua } from '../../queues/counts-lua.js';
import { findQueues } from '../../queues/load.js';
import { workersOf } from '../../queues/workers.js';
import type { Connection } from '../../redis/connect.js';
import type { QueueRow, QueuesOptions, QueuesResult, Violation } from './types.js';

export function attentionOf(row: Omit<QueueRow, 'attention'>): string[] {
  const out: string[] = [];
  if (row.error) out.push(`unreadable: ${row.error}`);
  const c = row.counts;
  if (c && c.failed > 0) out.push(`${c.failed} failed`);
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
  for (const r of rows) {
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

export async function listQueues(
  conn: Connection,
  target: string,
  opts: QueuesOptions,
): Promise<QueuesResult> {
  const [{ queues, clients }, scripting] = await Promise.all([
    findQueues(conn, opts.prefixes),
    probeScripting(conn.client, opts.timeoutMs),
  ]);
  // Both ways are exact; the script is one command per queue instead of a dozen.
  const states = scripting.allowed
    ? await readQueueStatesLua(conn, queues, opts.timeoutMs, opts.now)
    : await readQueueStates(conn, queues, opts.timeoutMs, opts.now);
  const rows = queues.map((q, i): QueueRow => {
    const state = states[i] as QueueState;
    const workers = workersOf(clients, q.prefix, q.name);
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
  return {
    target,
    cluster: conn.isCluster,
    queues: rows,
    workersKnown: clients.available,
    scripting,
    countsFrom: scripting.allowed ? 'lua' : 'pipeline',
    violations: checkGates(rows, opts),
  };
}
