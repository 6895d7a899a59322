import type { Connection } from '../redis/connect.js';
import { scalarText } from '../text.js';
import { jobKey, queueKey } from './keys.js';
import { pipelinePerItem, replyArray, replyNumber, type PipelineReply } from './pipeline.js';

/**
 * Stalled jobs across queues, for the overview, in two pipelined rounds and bounded per queue:
 *  - the first `activeLimit` ids of `active` (a short list: concurrency × workers) and the ids
 *    of the last `failedLimit` failures;
 *  - for each active id: does its `:lock` still exist, its `stc` (stalledCounter: BullMQ's
 *    moveStalledJobsToWait HINCRBYs it each time the job stalled) and `finishedOn`, plus
 *    `active` once more (at most 1,000 ids); for each failed id its `failedReason`.
 * An active job without a lock counts only if it is still in `active` after its lock was looked
 * at and has not finished (a job that completes between the two rounds loses its lock legally).
 */
export interface StalledSample {
  /** Active jobs looked at. */
  examined: number;
  /** Their ids whose lock is gone (still active, not finished). */
  unlocked: string[];
  /** Active jobs looked at that stalled before (stalledCounter > 0). */
  stalledBefore: number;
  /** Recent failures looked at, and how many of them stalled more than maxStalledCount. */
  failedExamined: number;
  failedStalled: number;
}

export interface StalledTarget {
  base: string;
  active: number;
  failed: number;
}

/** BullMQ's failedReason for a job that stalled more than `maxStalledCount` times. */
export const stalledOutReason = 'job stalled more than allowable limit';

const texts = (r: PipelineReply | undefined): string[] => replyArray(r).map((x) => scalarText(x));

export async function sampleStalled(
  conn: Connection,
  targets: StalledTarget[],
  timeoutMs: number,
  limits: { active: number; failed: number } = { active: 20, failed: 10 },
): Promise<StalledSample[]> {
  const first = await pipelinePerItem(
    conn,
    targets,
    (p, t) => {
      if (t.active > 0) p.push(['LRANGE', queueKey(t.base, 'active'), 0, limits.active - 1]);
      if (t.failed > 0) p.push(['ZREVRANGE', queueKey(t.base, 'failed'), 0, limits.failed - 1]);
    },
    timeoutMs,
  );
  const ids = targets.map((t, i) => {
    const r = first[i] ?? [];
    const active = t.active > 0 ? texts(r[0]) : [];
    const failed = t.failed > 0 ? texts(r[t.active > 0 ? 1 : 0]) : [];
    return { base: t.base, active, failed };
  });
  const second = await pipelinePerItem(
    conn,
    ids,
    (p, q) => {
      for (const id of q.active)
        p.push(
          ['EXISTS', `${jobKey(q.base, id)}:lock`],
          ['HMGET', jobKey(q.base, id), 'stc', 'finishedOn', 'timestamp'],
        );
      if (q.active.length > 0) p.push(['LRANGE', queueKey(q.base, 'active'), 0, 999]);
      for (const id of q.failed) p.push(['HGET', jobKey(q.base, id), 'failedReason']);
    },
    timeoutMs,
  );
  return ids.map((q, i): StalledSample => {
    const r = second[i] ?? [];
    const n = q.active.length;
    const stillActive = new Set(n > 0 ? texts(r[2 * n]) : []);
    const unlocked: string[] = [];
    let stalledBefore = 0;
    q.active.forEach((id, k) => {
      const [stc, finishedOn, timestamp] = replyArray(r[2 * k + 1]).map((x) =>
        x === null || x === undefined ? null : scalarText(x),
      );
      if (Number(stc ?? 0) > 0) stalledBefore++;
      const lock = replyNumber(r[2 * k]);
      if (lock === 0 && timestamp !== null && timestamp !== undefined && !finishedOn && stillActive.has(id))
        unlocked.push(id);
    });
    const reasons = q.failed.map((_, k) => {
      const v = r[2 * n + (n > 0 ? 1 : 0) + k];
      return v && !v[0] && v[1] !== null && v[1] !== undefined ? scalarText(v[1]) : '';
    });
    return {
      examined: n,
      unlocked,
      stalledBefore,
      failedExamined: q.failed.length,
      failedStalled: reasons.filter((x) => x.startsWith(stalledOutReason)).length,
    };
  });
}

/** The overview's attention lines for one queue (none when nothing stalled). */
export function stalledAttention(s: StalledSample, noWorker: boolean): string[] {
  const out: string[] = [];
  if (s.unlocked.length > 0)
    out.push(
      `stalled: ${s.unlocked.length} of ${s.examined} active jobs looked at have no lock${noWorker ? ' and no worker runs' : " (a worker's stalled check moves them back)"}`,
    );
  if (s.stalledBefore > 0)
    out.push(
      `stalled before: ${s.stalledBefore} of ${s.examined} active jobs looked at (stalledCounter > 0)`,
    );
  if (s.failedStalled > 0)
    out.push(
      `stalled out: ${s.failedStalled} of the last ${s.failedExamined} failed jobs stalled more than maxStalledCount`,
    );
  return out;
}
