import type { Redis } from 'ioredis';
import { RespPipe } from '../redis/resp-pipe.js';
import { escapeGlob, scanNode } from '../redis/scan.js';
import { defaultTimeoutMs } from '../redis/timeout.js';
import type { AnyClient } from '../redis/connect.js';
import { isBullmqVersion, provesQueue, sender } from './keys.js';
import { splitBases, type SplitSource } from './split.js';

/**
 * BullMQ has no API to list queues, so we find them in the keyspace (key layout: BullMQ's src/classes/queue-keys.ts). A queue
 * is proven by more than one structure of the right type:
 *  - a `<base>:meta` hash whose `version` says BullMQ wrote it, or
 *  - an integer `<base>:id` counter, a state key of BullMQ's type, and a job hash taken from
 *    that state key that looks like a job (has `timestamp`): old Bull, or a queue whose meta
 *    is lost. `app:order:7:id` beside `app:order:7:events` is not a queue.
 * Each base is listed once, whatever node its keys live on. The base `<prefix>:<name>` is
 * exact; how it splits is decided in split.ts.
 */
export interface DiscoveredQueue {
  /** `<prefix>:<name>`: every key of the queue starts with this plus ':'. */
  base: string;
  prefix: string;
  name: string;
  /** meta.version, e.g. "bullmq:6.7.0"; null for a queue found by its id key only. */
  version: string | null;
  /** Index of the primary the queue lives on (its meta or id key). */
  node: number;
  /** How prefix and name were told apart (split.ts). */
  split: SplitSource;
  /**
   * Why the queue cannot be read as one unit: on a cluster, a base without a {hash tag}
   * spreads its keys over slots (BullMQ's scripts then fail with CROSSSLOT); or the meta could
   * not be read (NOPERM). Gates fail on such a queue instead of counting it as empty.
   */
  problem?: string | null;
}

export interface DiscoverOptions {
  /** Known prefixes (--prefix); when given, only queues under them are returned. */
  prefixes?: string[];
  count?: number;
  /** On a cluster: the cluster client, which routes each key of a proof to its node. */
  cluster?: AnyClient;
  /** Bound for connecting and for each reply (the target's --timeout). */
  timeoutMs?: number;
}

/** The bytes Redis Cluster hashes: between the first `{` and the next `}`, when not empty. */
export function hasHashTag(key: string): boolean {
  const i = key.indexOf('{');
  if (i < 0) return false;
  const j = key.indexOf('}', i + 1);
  return j > i + 1;
}

export const spreadProblem = (base: string): string =>
  `keys spread over cluster slots: "${base}" has no {hash tag}, so BullMQ's scripts fail with CROSSSLOT and its counts cannot be read as one queue`;

/**
 * One SCAN pass per primary finds both kinds of candidate: MATCH `*:[mi][ed]*` lets through
 * every `<base>:meta` and `<base>:id` (and a few other names, dropped here). One pass instead of
 * two halves the server's SCAN cost (about 1 s per million keys per pass, redis.io/docs/latest/commands/scan/).
 */
function matchFor(prefixes?: string[]): string | Buffer {
  // One prefix: a narrower MATCH sends fewer names back (the server's cost per pass is the same).
  if (prefixes?.length === 1)
    return Buffer.concat([escapeGlob(`${prefixes[0]}:`), Buffer.from('*:[mi][ed]*')]);
  return '*:[mi][ed]*';
}

async function scanCandidates(
  node: RespPipe,
  opts: DiscoverOptions,
): Promise<{ meta: string[]; id: string[] }> {
  const meta: string[] = [];
  const id: string[] = [];
  for await (const batch of scanNode(node, { match: matchFor(opts.prefixes), count: opts.count ?? 5000 })) {
    for (const raw of batch) {
      const key = raw.toString('utf8');
      if (key.endsWith(':meta')) meta.push(key);
      else if (key.endsWith(':id')) id.push(key);
    }
  }
  return { meta, id };
}

interface MetaFound {
  version: string | null;
  problem: string | null;
}

/** Bases with a meta hash written by BullMQ, and their versions; a meta we may not read is kept with its problem. */
async function findByMeta(node: RespPipe, metaKeys: string[]): Promise<Map<string, MetaFound>> {
  const found = new Map<string, MetaFound>();
  if (metaKeys.length === 0) return found;
  const versions = await node.send(metaKeys.map((key) => ['HGET', key, 'version']));
  metaKeys.forEach((key, i) => {
    const reply = versions[i];
    const base = key.slice(0, -':meta'.length);
    if (reply instanceof Error) {
      if (/NOPERM/.test(reply.message))
        found.set(base, { version: null, problem: `cannot read ${key}: ${reply.message}` });
      return;
    }
    const version = Buffer.isBuffer(reply) ? reply.toString('utf8') : null;
    if (isBullmqVersion(version)) found.set(base, { version, problem: null });
  });
  return found;
}

// The order localeCompare gives, from one collator: localeCompare builds its comparison anew per
// call, which sorting 10,000 queues made a visible cost.
const byBase = new Intl.Collator();

export async function discoverQueues(
  primaries: Redis[],
  opts: DiscoverOptions = {},
): Promise<DiscoveredQueue[]> {
  const perNode = await Promise.all(
    primaries.map(async (node) => {
      // A raw pipe per primary: SCAN pages and one HGET per queue cost ioredis a Buffer, a
      // Command and a promise each, which on 10,000 queues was more CPU than the server's work.
      const pipe = await RespPipe.openLike(node, opts.timeoutMs ?? defaultTimeoutMs);
      try {
        const { meta, id } = await scanCandidates(pipe, opts);
        return { byMeta: await findByMeta(pipe, meta), idKeys: id };
      } finally {
        pipe.close();
      }
    }),
  );
  const rows = new Map<
    string,
    { base: string; version: string | null; node: number; problem: string | null }
  >();
  perNode.forEach(({ byMeta }, index) => {
    for (const [base, m] of byMeta) if (!rows.has(base)) rows.set(base, { base, ...m, node: index });
  });
  // Meta-less candidates, once each, proven with per-key reads (routed on a cluster).
  const candidates = new Map<string, number>();
  perNode.forEach(({ idKeys }, index) => {
    for (const k of idKeys) {
      const base = k.slice(0, -':id'.length);
      if (!rows.has(base) && !candidates.has(base)) candidates.set(base, index);
    }
  });
  const proofs = await Promise.all(
    [...candidates].map(async ([base, index]) => {
      const send = sender(opts.cluster ?? (primaries[index] as Redis));
      return (await provesQueue(send, base)) ? { base, version: null, node: index, problem: null } : null;
    }),
  );
  for (const p of proofs) if (p) rows.set(p.base, p);
  const list = [...rows.values()].map((r) => ({
    ...r,
    problem: r.problem ?? (opts.cluster && !hasHashTag(r.base) ? spreadProblem(r.base) : null),
  }));
  const splits = splitBases(list, { prefixes: opts.prefixes });
  const found: DiscoveredQueue[] = [];
  list.forEach((row, i) => {
    const split = splits[i];
    if (split) found.push({ ...row, ...split });
  });
  return found.sort((a, b) => byBase.compare(a.base, b.base));
}
