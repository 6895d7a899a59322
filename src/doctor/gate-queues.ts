import type { Redis } from 'ioredis';
import type { DiscoveredQueue } from '../queues/discover.js';
import { hasHashTag, spreadProblem } from '../queues/discover.js';
import { withTimeout } from '../redis/timeout.js';
import type { UseProbe } from './use-probe.js';

/**
 * Which queues the CI gate reads, and whether that is all of them. The bounded use probe sees
 * at most its budget of key names, so on a big keyspace it may miss queues; the gate must not
 * pass on such a view (src/doctor/gate.ts fails closed). The cheap ways to a complete view:
 * - the user names the queues (--queues, `queues:` in redis-ops.yaml): read exactly those,
 *   each checked to exist with MEMORY USAGE (no keyspace lookup);
 * - the probe covered every key.
 * A BullMQ worker connected for a queue the user did not name (CLIENT LIST) is a gap too.
 */
export interface GateQueues {
  queues: DiscoveredQueue[];
  /** What the view misses; null when it is complete. */
  uncovered: string | null;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** `email` is `bull:email` (BullMQ's default prefix); `app:email` keeps its prefix. */
export function namedBase(name: string): { base: string; prefix: string; name: string } {
  const i = name.lastIndexOf(':');
  if (i > 0 && i < name.length - 1) return { base: name, prefix: name.slice(0, i), name: name.slice(i + 1) };
  return { base: `bull:${name}`, prefix: 'bull', name };
}

/** Key suffixes every queue that ever held a job has at least one of. */
const anchors = ['meta', 'id', 'events', 'wait', 'failed', 'completed', 'delayed', 'prioritized'];

/** Whether any anchor key of each base exists, on any primary (MEMORY USAGE: no lookup counted). */
async function existing(primaries: Redis[], bases: string[], ms: number): Promise<boolean[]> {
  const perNode = await withTimeout(
    Promise.all(
      primaries.map(async (node) => {
        const p = node.pipeline();
        for (const b of bases) for (const s of anchors) p.call('MEMORY', 'USAGE', `${b}:${s}`);
        return (await p.exec()) ?? [];
      }),
    ),
    ms,
    'MEMORY USAGE',
  );
  return bases.map((_, i) =>
    perNode.some((replies) =>
      anchors.some((_s, j) => {
        const r = replies[i * anchors.length + j];
        return Boolean(r && !r[0] && r[1] !== null);
      }),
    ),
  );
}

export async function gateQueues(
  primaries: Redis[],
  isCluster: boolean,
  found: DiscoveredQueue[] | null,
  probe: UseProbe | null,
  named: string[] | undefined,
  ms: number,
): Promise<GateQueues | null> {
  if (named && named.length > 0) {
    const wanted = [...new Map(named.map((n) => [namedBase(n).base, namedBase(n)])).values()];
    const known = new Map((found ?? []).map((q) => [q.base, q]));
    // A queue with a connected worker exists even before its first job (no key yet).
    const workers = new Set(probe?.clientQueues ?? []);
    const seen = (base: string): boolean => known.has(base) || workers.has(base);
    let exists: boolean[] = wanted.map((w) => seen(w.base));
    const ask = wanted.filter((w) => !seen(w.base)).map((w) => w.base);
    if (ask.length) {
      try {
        const answers = await existing(primaries, ask, ms);
        exists = wanted.map((w) => seen(w.base) || answers[ask.indexOf(w.base)] === true);
      } catch {
        // MEMORY blocked: the reads below then say what they find (an empty queue reads as 0).
        exists = wanted.map(() => true);
      }
    }
    const queues = wanted.map(
      (w, i): DiscoveredQueue =>
        known.get(w.base) ?? {
          ...w,
          version: null,
          node: 0,
          split: 'flag',
          problem: !exists[i]
            ? `not found: no key ${w.base}:meta, :id, :events or a state key exists (check the name and prefix)`
            : isCluster && !hasHashTag(w.base)
              ? spreadProblem(w.base)
              : null,
        },
    );
    const names = new Set(queues.map((q) => q.base));
    const unnamed = (probe?.clientQueues ?? []).filter((b) => !names.has(b));
    return {
      queues,
      uncovered: unnamed.length
        ? `BullMQ workers are connected for queue(s) not named in the list: ${unnamed.slice(0, 5).join(', ')}${unnamed.length > 5 ? `, and ${unnamed.length - 5} more` : ''} (CLIENT LIST)`
        : null,
    };
  }
  if (found === null) return null;
  if (!probe) return { queues: found, uncovered: 'the keyspace was not probed' };
  if (probe.scanUnavailable)
    return { queues: found, uncovered: `${probe.scanUnavailable}: only queues seen in CLIENT LIST are read` };
  if (!probe.complete)
    return {
      queues: found,
      uncovered: `the bounded probe read ${fmt(probe.scanned)} of ${fmt(probe.totalKeys)} keys (${probe.scanStopped ?? 'budget'}), so queues beyond them are not counted`,
    };
  return { queues: found, uncovered: null };
}
