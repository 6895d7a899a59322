import { probeScripting } from '../../queues/access.js';
import { readQueueStates, type QueueState } from '../../queues/counts.js';
import { readQueueStatesLua } from '../../queues/counts-lua.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import { findQueues } from '../../queues/load.js';
import { readRole } from '../../queues/role.js';
import { readCounters, ratesBetween, type Counters } from '../../queues/watch.js';
import { readClientLists, workersOf, type ClientLists } from '../../queues/workers.js';
import type { Connection } from '../../redis/connect.js';
import { attentionOf } from './overview.js';
import type { WatchRow, WatchSnapshot } from './types.js';

/**
 * `queues --watch`: read every queue each interval and hand a snapshot to the view (the
 * full-screen table, or an NDJSON line). Per interval: CLIENT LIST on each primary, the counts
 * `queues` reads (one script per queue, or plain commands where EVAL is denied) and four
 * counters per queue, sent together; no per-job reads. Discovery (a SCAN of the keyspace) runs
 * at the start and then once a minute, not every interval: new queues appear within a minute.
 */
export interface WatchOptions {
  target: string;
  prefixes: string[];
  intervalMs: number;
  /** Stop after this many snapshots (NDJSON runs in CI). */
  count?: number;
  timeoutMs: number;
  signal: AbortSignal;
  onSnapshot(s: WatchSnapshot): void;
  /** Samples kept per queue for the sparkline. */
  historyLength?: number;
  rediscoverMs?: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** Needs a look first: failures growing, then nobody consuming, then the longest wait. */
export function attentionRank(r: WatchRow): number[] {
  const waiting = r.counts ? r.counts.waiting + r.counts.prioritized : 0;
  const noWorker = waiting > 0 && !r.paused && (r.workers === 0 || (r.workers === null && !r.stalledCheck));
  return [
    r.error ? 0 : 1,
    (r.rates?.failed ?? 0) > 0 ? 0 : 1,
    noWorker ? 0 : 1,
    -(r.oldestWaitingAgeMs ?? -1),
    -(r.counts?.failed ?? 0),
  ];
}

export function sortByAttention(rows: WatchRow[]): WatchRow[] {
  return [...rows].sort((a, b) => {
    const x = attentionRank(a);
    const y = attentionRank(b);
    for (let i = 0; i < x.length; i++) {
      const d = (x[i] ?? 0) - (y[i] ?? 0);
      if (d !== 0) return d;
    }
    return a.base.localeCompare(b.base);
  });
}

export async function watchQueues(conn: Connection, opts: WatchOptions): Promise<number> {
  const keep = opts.historyLength ?? 300;
  const [scripting, role] = await Promise.all([
    probeScripting(conn.client, opts.timeoutMs),
    conn.isCluster ? Promise.resolve('primary' as const) : readRole(conn.client, opts.timeoutMs),
  ]);
  const onReplica = role === 'replica';
  let queues: DiscoveredQueue[] = [];
  let discoveredAt = -Infinity;
  let prev: { at: number; counters: Map<string, Counters>; states: Map<string, QueueState> } | null = null;
  const history = new Map<string, number[]>();
  let emitted = 0;
  while (!opts.signal.aborted && (opts.count === undefined || emitted < opts.count)) {
    const started = Date.now();
    let clients: ClientLists;
    if (started - discoveredAt >= (opts.rediscoverMs ?? 60_000)) {
      const found = await findQueues(conn, opts.prefixes);
      queues = found.queues;
      clients = found.clients;
      discoveredAt = started;
    } else clients = await readClientLists(conn.primaries());
    const at = Date.now();
    const last: Map<string, Counters> = prev ? prev.counters : new Map<string, Counters>();
    const [states, counters]: [QueueState[], Map<string, Counters>] = await Promise.all([
      scripting.allowed
        ? readQueueStatesLua(conn, queues, opts.timeoutMs, () => at)
        : readQueueStates(conn, queues, opts.timeoutMs, () => at),
      readCounters(conn, queues, last, opts.timeoutMs),
    ]);
    const seconds = prev ? (at - prev.at) / 1000 : null;
    const rows = queues.map((q, i): WatchRow => {
      const state = states[i] as QueueState;
      const workers = onReplica ? null : workersOf(clients, q.prefix, q.name);
      const c = counters.get(q.base);
      const before = prev?.counters.get(q.base);
      const rates =
        c && before && seconds !== null
          ? ratesBetween(
              { counters: before, counts: prev?.states.get(q.base)?.counts ?? null },
              { counters: c, counts: state.counts },
              seconds,
            )
          : null;
      const h = history.get(q.base) ?? [];
      if (rates && seconds !== null) {
        h.push(Math.round((rates.completed + rates.failed) * seconds));
        if (h.length > keep) h.splice(0, h.length - keep);
      }
      history.set(q.base, h);
      const row = {
        ...state,
        base: q.base,
        prefix: q.prefix,
        name: q.name,
        version: q.version,
        workers: workers === null ? null : workers.length,
        rates,
        history: [...h],
      };
      const attention = attentionOf({ ...row, split: q.split });
      if (rates && rates.failed > 0) attention.unshift(`failing: ${rates.failed.toFixed(1)}/s`);
      return { ...row, attention };
    });
    opts.onSnapshot({
      target: opts.target,
      at,
      intervalMs: opts.intervalMs,
      seconds,
      workersKnown: clients.available && !onReplica,
      rows: sortByAttention(rows),
    });
    emitted++;
    prev = { at, counters, states: new Map(queues.map((q, i) => [q.base, states[i] as QueueState])) };
    if (opts.count !== undefined && emitted >= opts.count) break;
    // A fixed schedule: a slow read does not push every later snapshot back.
    await sleep(Math.max(0, started + opts.intervalMs - Date.now()), opts.signal);
  }
  return emitted;
}
