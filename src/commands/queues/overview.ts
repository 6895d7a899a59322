import { probeScripting } from '../../queues/access.js';
import { readQueueStates, type QueueState } from '../../queues/counts.js';
import { readQueueStatesLua } from '../../queues/counts-lua.js';
import { findQueues } from '../../queues/load.js';
import { readRole } from '../../queues/role.js';
import { sampleStalled, stalledAttention } from '../../queues/stalled.js';
import { countWorkers } from '../../queues/workers.js';
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
 * Stalled jobs, per queue with active or failed jobs: active jobs whose lock is gone, active
 * jobs that stalled before (stalledCounter), recent failures that stalled out. Bounded: the
 * first 20 active ids and the last 10 failed ids per queue, two pipelined rounds in all.
 */
async function flagStalled(conn: Connection, rows: QueueRow[], timeoutMs: number): Promise<void> {
  // At most 1,000 queues per run, those with the most active (then failed) jobs first: the cost
  // stays bounded on a server with tens of thousands of queues.
  const readable = rows
    .filter((r) => r.counts && (r.counts.active > 0 || r.counts.failed > 0))
    .sort(
      (a, b) =>
        (b.counts?.active ?? 0) - (a.counts?.active ?? 0) ||
        (b.counts?.failed ?? 0) - (a.counts?.failed ?? 0),
    )
    .slice(0, 1000);
  const samples = await sampleStalled(
    conn,
    readable.map((r) => ({ base: r.base, active: r.counts?.active ?? 0, failed: r.counts?.failed ?? 0 })),
    timeoutMs,
  );
  readable.forEach((r, i) => {
    const s = samples[i];
    const noWorker = r.workers === 0 || (r.workers === null && !r.stalledCheck);
    if (s) r.attention.push(...stalledAttention(s, noWorker));
  });
}

export async function listQueues(
  conn: Connection,
  target: string,
  opts: QueuesOptions,
): Promise<QueuesResult> {
  const [{ queues, clients }, scripting, role] = await Promise.all([
    findQueues(conn, opts.prefixes, opts.timeoutMs),
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
  const workersIn = countWorkers(clients);
  const rows = queues.map((q, i): QueueRow => {
    const state = states[i] as QueueState;
    const workers = onReplica ? null : workersIn(q.prefix, q.name);
    const row = {
      base: q.base,
      prefix: q.prefix,
      name: q.name,
      version: q.version,
      split: q.split,
      ...state,
      workers,
    };
    return { ...row, attention: attentionOf(row) };
  });
  await flagStalled(conn, rows, opts.timeoutMs);
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
