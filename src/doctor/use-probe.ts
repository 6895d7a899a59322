import type { Redis } from 'ioredis';
import type { DiscoveredQueue } from '../queues/discover.js';
import { stateKeys } from '../queues/keys.js';
import { splitBases } from '../queues/split.js';
import { errorText } from '../redis/hints.js';
import { redact } from '../redis/secrets.js';
import { withTimeout } from '../redis/timeout.js';
import { formatCount } from '../ui/format.js';

/**
 * What is this instance for? Bounded evidence, so a gate run costs the server the same on 10k
 * keys as on 10M (issue 11): BullMQ connection names in CLIENT LIST, then a SCAN of at most
 * `maxKeys` names (and `maxScanMs` of SCAN time per node) classified by name, confirmed with
 * MEMORY USAGE. Neither SCAN without TYPE nor MEMORY USAGE counts as a keyspace hit or miss
 * (measured on redis-server 7.0: TYPE, EXISTS, GET, HGET, LLEN, OBJECT and SCAN ... TYPE do),
 * so doctor's own probe leaves the hit ratio it judges untouched.
 */
export interface ProbeBudget {
  /** Key names to look at over all primaries. */
  maxKeys: number;
  /** The server's SCAN time per node (INFO commandstats; wall time where the server hides it). */
  maxScanMs: number;
  /** Wall time per node, whatever the server says. */
  maxWallMs: number;
  /** Candidates (a `:meta` or `:id` name without a partner) confirmed with MEMORY USAGE. */
  maxConfirm: number;
}

export const defaultBudget: ProbeBudget = {
  maxKeys: 100_000,
  maxScanMs: 40,
  maxWallMs: 500,
  maxConfirm: 200,
};

export interface UseProbe {
  queues: DiscoveredQueue[];
  /** Queue bases named by BullMQ worker / QueueEvents connections. */
  clientQueues: string[];
  clientNames: string[];
  /** Why CLIENT LIST could not be read; null when it was. */
  clientsUnavailable: string | null;
  /** Names looked at, and the keys INFO keyspace reports (all primaries). */
  scanned: number;
  totalKeys: number;
  /** The scan covered every key (the result is certain). */
  complete: boolean;
  /** Why the scan stopped early (budget), or why it could not run; null when complete. */
  scanStopped: string | null;
  scanUnavailable: string | null;
}

/** BullMQ's state keys (src/queues/keys.ts) and the few others every live queue has (marker, stalled). */
const stateSuffixes = new Set<string>([
  ...stateKeys.map(([suffix]) => suffix),
  'stalled-check',
  'stalled',
  'marker',
  'limiter',
  'repeat',
]);
const anchorSuffixes = new Set(['meta', 'id']);

export interface NameEvidence {
  /** Bases with an anchor (meta or id) and a state key among the names: queues, by name. */
  queues: string[];
  /** Bases with an anchor only: confirm them (their partners may lie outside the window). */
  candidates: string[];
}

/**
 * Classify key names in bulk, with no command per key: a base is a queue when the names hold
 * `<base>:meta` or `<base>:id` and one of its state keys (`user:42:id` alone is a counter).
 */
export function classifyNames(names: Iterable<string>): NameEvidence {
  const anchors = new Map<string, boolean>(); // base → has a meta (more certain than an id)
  const states = new Set<string>();
  for (const name of names) {
    const i = name.lastIndexOf(':');
    if (i <= 0) continue;
    const suffix = name.slice(i + 1);
    const base = name.slice(0, i);
    if (anchorSuffixes.has(suffix)) anchors.set(base, anchors.get(base) === true || suffix === 'meta');
    else if (stateSuffixes.has(suffix)) states.add(base);
  }
  const queues: string[] = [];
  const metaOnly: string[] = [];
  const idOnly: string[] = [];
  for (const [base, hasMeta] of anchors) {
    if (states.has(base)) queues.push(base);
    else (hasMeta ? metaOnly : idOnly).push(base);
  }
  // A meta hash is rare in a cache, a `:id` counter common: confirm metas first.
  return { queues, candidates: [...metaOnly, ...idOnly] };
}

/** A worker names its connection `<prefix>:<base64(name)>[:w:<id>]`, QueueEvents `...:qe`. */
export function queueFromClientName(name: string): string | undefined {
  const stem = name.replace(/:qe$/, '').replace(/:w:.*$/, '');
  const i = stem.lastIndexOf(':');
  if (i <= 0) return undefined;
  const encoded = stem.slice(i + 1);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  // Round trip and printable: a random word that happens to be base64 rarely decodes to text.
  if (Buffer.from(decoded, 'utf8').toString('base64') !== encoded) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters mean it was not text
  if (!decoded || /[\x00-\x1f\x7f\ufffd]/.test(decoded)) return undefined;
  return `${stem.slice(0, i)}:${decoded}`;
}

export function clientNamesOf(list: string): string[] {
  const names: string[] = [];
  for (const line of list.split('\n')) {
    const m = / name=(\S*)/.exec(` ${line}`);
    if (m?.[1]) names.push(m[1]);
  }
  return names;
}

const reason = (err: unknown): string => redact(errorText(err));

async function readClientNames(node: Redis, ms: number): Promise<string[]> {
  return clientNamesOf(String(await withTimeout(node.call('CLIENT', 'LIST'), ms, 'CLIENT LIST')));
}

interface NodeScan {
  names: string[];
  complete: boolean;
  stopped: 'keys' | 'time' | null;
}

/** cmdstat_scan usec of a node; undefined where INFO has no commandstats (Upstash). */
async function scanUsec(node: Redis, ms: number): Promise<number | undefined> {
  const text = String(await withTimeout(node.info('commandstats'), ms, 'INFO commandstats'));
  const m = /cmdstat_scan:calls=\d+,usec=(\d+)/.exec(text);
  if (m) return Number(m[1]);
  return /cmdstat_/.test(text) ? 0 : undefined;
}

/**
 * SCAN one node until the budget runs out. The server's own SCAN time (INFO commandstats, read
 * after each call) is the budget: per key it is 0.6 µs on a small dict and 2 µs on a 10M one, so
 * a key count alone cannot bound it. Another client's SCAN counts too, which only stops us sooner.
 */
async function scanNames(node: Redis, budget: ProbeBudget, maxKeys: number, ms: number): Promise<NodeScan> {
  const names: string[] = [];
  const started = performance.now();
  const base = await scanUsec(node, ms).catch(() => undefined);
  let cursor = '0';
  for (;;) {
    const [next, keys] = (await withTimeout(node.call('SCAN', cursor, 'COUNT', '4000'), ms, 'SCAN')) as [
      string,
      string[],
    ];
    names.push(...keys);
    cursor = next;
    if (cursor === '0') return { names, complete: true, stopped: null };
    if (names.length >= maxKeys) return { names, complete: false, stopped: 'keys' };
    const wall = performance.now() - started;
    if (base === undefined ? wall >= budget.maxScanMs : wall >= budget.maxWallMs)
      return { names, complete: false, stopped: 'time' };
    if (base !== undefined) {
      const now = await scanUsec(node, ms).catch(() => undefined);
      if (now === undefined || (now - base) / 1000 >= budget.maxScanMs)
        return { names, complete: false, stopped: 'time' };
    }
  }
}

/**
 * MEMORY USAGE answers nil for a missing key and counts no hit: existence without a lookup. On
 * a cluster an untagged queue's keys sit on several nodes, so every primary is asked (a key of
 * another node's slot answers MOVED, which is no match).
 */
async function confirm(primaries: Redis[], candidates: string[]): Promise<string[]> {
  if (candidates.length === 0) return [];
  const probes = ['events', 'marker', 'wait', 'completed', 'failed', 'delayed', 'active'];
  const perNode = await Promise.all(
    primaries.map(async (node) => {
      const pipeline = node.pipeline();
      for (const base of candidates) for (const s of probes) pipeline.call('MEMORY', 'USAGE', `${base}:${s}`);
      return (await pipeline.exec()) ?? [];
    }),
  );
  return candidates.filter((_, i) =>
    perNode.some((replies) =>
      probes.some((_s, j) => {
        const r = replies[i * probes.length + j];
        return r && !r[0] && r[1] !== null;
      }),
    ),
  );
}

const totalKeysOf = (info: Record<string, string>): number => {
  let n = 0;
  for (const [k, v] of Object.entries(info))
    if (/^db\d+$/.test(k)) n += Number(/keys=(\d+)/.exec(v)?.[1] ?? 0);
  return n;
};

/**
 * Probe every primary within the budget. `infos` are the nodes' INFO records (keyspace size);
 * `db` limits the INFO count to the database the client uses.
 */
export async function probeUse(
  primaries: Redis[],
  infos: Array<Record<string, string>>,
  opts: { timeoutMs: number; db?: number; budget?: ProbeBudget; skipScan?: boolean },
): Promise<UseProbe> {
  const budget = opts.budget ?? defaultBudget;
  const ms = opts.timeoutMs;
  const out: UseProbe = {
    queues: [],
    clientQueues: [],
    clientNames: [],
    clientsUnavailable: null,
    scanned: 0,
    totalKeys: infos.reduce((s, info) => {
      if (opts.db === undefined) return s + totalKeysOf(info);
      return s + Number(/keys=(\d+)/.exec(info[`db${opts.db}`] ?? '')?.[1] ?? 0);
    }, 0),
    complete: false,
    scanStopped: null,
    scanUnavailable: null,
  };
  try {
    const lists = await Promise.all(primaries.map((n) => readClientNames(n, ms)));
    out.clientNames = [...new Set(lists.flat())];
    out.clientQueues = [
      ...new Set(out.clientNames.map(queueFromClientName).filter((b): b is string => !!b)),
    ].sort();
  } catch (err) {
    out.clientsUnavailable = reason(err);
  }
  const rows: Array<{ base: string; version: string | null; node: number }> = [];
  if (opts.skipScan) {
    out.scanUnavailable = 'not scanned: the use was given';
  } else {
    try {
      const perNode = Math.max(1000, Math.floor(budget.maxKeys / Math.max(1, primaries.length)));
      const scans = await Promise.all(primaries.map((node) => scanNames(node, budget, perNode, ms)));
      // Classified over every node at once: an untagged queue's keys spread over the cluster.
      const where = new Map<string, number>();
      scans.forEach((scan, index) => {
        for (const name of scan.names) if (!where.has(name)) where.set(name, index);
      });
      const evidence = classifyNames(where.keys());
      let confirmed: string[] = [];
      try {
        confirmed = await withTimeout(
          confirm(primaries, evidence.candidates.slice(0, budget.maxConfirm)),
          ms,
          'MEMORY USAGE',
        );
      } catch {
        // MEMORY may be blocked (some ElastiCache versions): the names alone decide then.
      }
      const nodeOf = (base: string): number => where.get(`${base}:meta`) ?? where.get(`${base}:id`) ?? 0;
      for (const base of [...evidence.queues, ...confirmed])
        rows.push({ base, version: null, node: nodeOf(base) });
      out.scanned = scans.reduce((s, x) => s + x.names.length, 0);
      out.complete = scans.every((s) => s.complete);
      const stops = [...new Set(scans.map((s) => s.stopped).filter(Boolean))];
      if (!out.complete)
        out.scanStopped = stops.includes('time')
          ? `the scan budget (${budget.maxScanMs} ms of server time per node) ran out`
          : `the scan budget (${formatCount(budget.maxKeys)} keys) ran out`;
    } catch (err) {
      out.scanUnavailable = `SCAN failed: ${reason(err)}`;
    }
  }
  // Queues seen only through their workers' connections count too (their keys may lie beyond the window).
  const seen = new Set(rows.map((r) => r.base));
  for (const base of out.clientQueues) if (!seen.has(base)) rows.push({ base, version: null, node: 0 });
  const splits = splitBases(rows);
  rows.forEach((row, i) => {
    const split = splits[i];
    if (split) out.queues.push({ ...row, ...split });
  });
  out.queues.sort((a, b) => a.base.localeCompare(b.base));
  return out;
}
