import { hitRatio, infoNumber } from '../redis/info.js';
import { formatBytes, formatCount } from '../ui/format.js';
import { sumNodes, type Facts } from './facts.js';
import { memoryUsage } from './memory.js';
import type { QueueCounts } from './queue-counts.js';
import { fail, pass, skip, type CheckResult } from './types.js';

/** The CI health gate: thresholds from flags or redis-ops.yaml, each a `gate.*` check when set. */
export interface GateThresholds {
  minHitRatio?: number;
  maxMemoryPct?: number;
  maxFailedJobs?: number;
  /** Seconds (the flag and redis-ops.yaml also take a duration such as 5m). */
  maxWaitingAge?: number;
}

export const gateKeys = ['minHitRatio', 'maxMemoryPct', 'maxFailedJobs', 'maxWaitingAge'] as const;

export const needsQueueCounts = (g: GateThresholds): boolean =>
  g.maxFailedJobs !== undefined || g.maxWaitingAge !== undefined;

/**
 * What the queue gates saw. A gate passes only on a complete view: every queue the user named
 * (--queues / `queues:` in redis-ops.yaml), or a probe that covered the whole keyspace. Otherwise
 * a queue beyond the probe's budget may hold the failed or old job, so the gate fails naming the
 * gap (fail closed).
 */
export interface QueueCoverage {
  counts: QueueCounts[] | null;
  /** Why there are no counts at all. */
  why: string | null;
  /** What the view misses; null when it is complete. */
  uncovered: string | null;
}

const coverHint =
  'name every queue the gate must cover: --queues email,reports (or queues: [email, reports] in redis-ops.yaml); doctor then reads exactly those, at the same small cost on any keyspace size';

export function gateIds(g: GateThresholds): string[] {
  return gateKeys.filter((k) => g[k] !== undefined).map((k) => `gate.${k}`);
}

export function checkHitRatio(min: number, facts: Facts): CheckResult {
  const id = 'gate.minHitRatio';
  const hits = sumNodes(facts, 'keyspace_hits');
  const misses = sumNodes(facts, 'keyspace_misses');
  if (hits === undefined || misses === undefined)
    return skip(id, 'INFO stats has no keyspace_hits/keyspace_misses');
  const ratio = hitRatio(hits, misses);
  if (ratio === null) return skip(id, 'no key lookups since the last restart: no hit ratio yet');
  const text = `hit ratio ${ratio.toFixed(3)} (${formatCount(hits)} hits, ${formatCount(misses)} misses), minimum ${min}`;
  if (ratio < min)
    return fail(id, text, 'the cache misses too often: check TTLs, key names and maxmemory (evictions)');
  return pass(id, text);
}

export function checkMemoryPct(max: number, facts: Facts): CheckResult {
  const id = 'gate.maxMemoryPct';
  let u = memoryUsage(facts);
  let of = 'maxmemory';
  if (!u) {
    // No maxmemory: measure against the machine's memory, which is what Redis would exhaust.
    const used = infoNumber(facts.info, 'used_memory');
    const total = infoNumber(facts.info, 'total_system_memory');
    if (used === undefined || !total)
      return skip(id, 'no maxmemory and no total_system_memory to compare with');
    u = { used, max: total, pct: (used / total) * 100 };
    of = 'system memory (no maxmemory set)';
  }
  const text = `${u.pct.toFixed(1)}% of ${of} used (${formatBytes(u.used)} of ${formatBytes(u.max)}), maximum ${max}%`;
  if (u.pct > max) return fail(id, text, 'raise maxmemory or free memory');
  return pass(id, text);
}

/** The worst three queues by `figure`, shown with `show` (counts: the house number format). */
function worstFirst(
  counts: QueueCounts[],
  figure: (c: QueueCounts) => number | null,
  show: (n: number) => string = formatCount,
): string {
  return [...counts]
    .filter((c) => (figure(c) ?? 0) > 0)
    .sort((a, b) => (figure(b) ?? 0) - (figure(a) ?? 0))
    .slice(0, 3)
    .map((c) => `${c.base} ${show(figure(c) ?? 0)}`)
    .join(', ');
}

/**
 * Gates fail closed: a queue that could not be read (no {hash tag} on a cluster, NOPERM, a
 * timeout) may hold the failed or old job the gate is about, so the gate fails naming it.
 */
function unreadable(id: string, counts: QueueCounts[], what: string): CheckResult | null {
  const bad = counts.filter((c) => c.error !== null);
  if (bad.length === 0) return null;
  const named = bad
    .slice(0, 3)
    .map((c) => `${c.base} (${c.error})`)
    .join(', ');
  const more = bad.length > 3 ? `, and ${bad.length - 3} more` : '';
  return fail(
    id,
    `${bad.length} of ${counts.length} queue(s) could not be read, so their ${what} are unknown: ${named}${more}`,
    'fix access to those queues (a {hash tag} in the prefix on a cluster; ACL read rights on their keys), then rerun',
  );
}

/** The counts, or the failing result when the view cannot back a pass. */
function usable(id: string, cov: QueueCoverage, what: string): QueueCounts[] | CheckResult {
  const { counts } = cov;
  if (!counts) {
    const why = cov.why ?? 'unknown';
    return fail(
      id,
      `queue counts unavailable: ${why}`,
      why.startsWith('queues: none found') ? coverHint : 'see why above, fix it, then rerun',
    );
  }
  return unreadable(id, counts, what) ?? counts;
}

/** A result that would pass on an incomplete view fails, saying what it saw and what it did not. */
function closed(id: string, cov: QueueCoverage, result: CheckResult): CheckResult {
  if (result.status !== 'pass' || cov.uncovered === null) return result;
  return fail(id, `${result.message}; but the view is incomplete: ${cov.uncovered}`, coverHint);
}

export function checkFailedJobs(max: number, cov: QueueCoverage): CheckResult {
  const id = 'gate.maxFailedJobs';
  const counts = usable(id, cov, 'failed jobs');
  if (!Array.isArray(counts)) return counts;
  const total = counts.reduce((s, c) => s + c.failed, 0);
  const text = `${formatCount(total)} failed jobs in ${counts.length} queue(s), maximum ${formatCount(max)}${total ? `: ${worstFirst(counts, (c) => c.failed)}` : ''}`;
  if (total > max)
    return fail(
      id,
      text,
      'look at the failure reasons (redis-ops queues), fix the cause, then retry or clean the failed jobs',
    );
  return closed(id, cov, pass(id, text));
}

export function checkWaitingAge(max: number, cov: QueueCoverage): CheckResult {
  const id = 'gate.maxWaitingAge';
  const counts = usable(id, cov, 'waiting jobs');
  if (!Array.isArray(counts)) return counts;
  const ages = counts.map((c) => c.oldestWaitingAgeSeconds ?? 0);
  const oldest = ages.length ? Math.max(...ages) : 0;
  const text = `oldest waiting job is ${oldest} s old, maximum ${max} s${oldest ? `: ${worstFirst(counts, (c) => c.oldestWaitingAgeSeconds, String)}` : ''}`;
  if (oldest > max)
    return fail(id, text, 'jobs wait too long: are workers running and keeping up? (redis-ops queues)');
  return closed(id, cov, pass(id, text));
}

export function runGate(g: GateThresholds, facts: Facts, cov: QueueCoverage): CheckResult[] {
  const out: CheckResult[] = [];
  if (g.minHitRatio !== undefined) out.push(checkHitRatio(g.minHitRatio, facts));
  if (g.maxMemoryPct !== undefined) out.push(checkMemoryPct(g.maxMemoryPct, facts));
  if (g.maxFailedJobs !== undefined) out.push(checkFailedJobs(g.maxFailedJobs, cov));
  if (g.maxWaitingAge !== undefined) out.push(checkWaitingAge(g.maxWaitingAge, cov));
  return out;
}
