import type { DiscoveredQueue } from '../queues/discover.js';
import type { AclFacts } from './acl.js';
import type { UseProbe } from './use-probe.js';
import {
  infoNumber,
  parseInfoFields,
  parseKeyspace,
  type InfoRecord,
  type ServerFacts,
} from '../redis/info.js';
import type { Provider } from '../redis/provider.js';

/**
 * Everything the fitness checks look at, gathered once after the ladder reached the server.
 * Each check is a pure function of these facts, so the catalogue is unit-tested without Redis.
 */
/** What the instance is for: doctor infers or is told it, init scaffolds for it (one definition for both). */
export type Use = 'cache' | 'queue' | 'both';
export const uses: readonly Use[] = ['cache', 'queue', 'both'];
/** What doctor concluded: a given use, an inferred one, or unknown when the evidence is not enough. */
export type FactUse = Use | 'unknown';
export type UseSource = 'flag' | 'config' | 'inferred';

export interface ConfigFacts {
  /** CONFIG GET answers by parameter name; missing names were not answered. */
  values: Record<string, string>;
  /** Why CONFIG could not be read (blocked, renamed, empty answer); null when it could. */
  unavailable: string | null;
}

export interface SlowlogEntry {
  durationUs: number;
  command: string;
}

export interface SlowlogFacts {
  /** The app's entries within the window. */
  entries: SlowlogEntry[];
  /** Entries left out: doctor's own (client name redis-ops), and older than the window. */
  own: number;
  old: number;
  unavailable: string | null;
}

export interface ScriptingFacts {
  /** Commands BullMQ needs that the current user may not run. */
  denied: string[];
  /** How it was found out: ACL DRYRUN for the user, or running a harmless EVAL. */
  method: 'acl-dryrun' | 'eval';
  unavailable: string | null;
}

/** keys.ttl's bounded key sample (keys-ttl.ts): sampled keys per namespace, and those without a TTL. */
export interface TtlNamespace {
  prefix: string;
  keys: number;
  noTtl: number;
}

/** INFO keyspace of the client's database, summed over the primaries. */
export interface KeyspaceTtl {
  keys: number;
  expires: number;
  /** avg_ttl in ms (Redis's estimate over the keys with a TTL; 0 when none). */
  avgTtlMs: number;
}

export interface KeyTtlFacts {
  /** From INFO (no lookup); null when INFO has no keyspace line for the database. */
  keyspace: KeyspaceTtl | null;
  sampled: number;
  namespaces: TtlNamespace[];
  /** Keyspace hits and misses doctor's own PTTLs added (they count as lookups on Redis 7.0). */
  lookups: number;
  unavailable: string | null;
}

export interface Facts {
  /** INFO of the node the ladder reached (the seed node on a cluster). */
  info: InfoRecord;
  /** INFO of every primary (one entry on a standalone server). */
  nodes: InfoRecord[];
  /** host:port of each entry of nodes. */
  nodeNames: string[];
  server: ServerFacts;
  provider: Provider;
  host: string;
  hasPassword: boolean;
  username: string;
  isCluster: boolean;
  use: FactUse;
  useSource: UseSource;
  /** How doctor knows the use, in words (shown next to it). */
  useReason: string;
  /** The reply of a PING on a connection that sent no credentials; null when the probe failed. */
  unauthPing: { reply: string | null; error: string | null };
  acl: AclFacts;
  /** Whether the connection uses TLS. */
  tls: boolean;
  /** LATENCY LATEST of every primary. */
  latency: {
    events: Array<{ node: string; event: string; latestMs: number; maxMs: number }>;
    unavailable: string | null;
  };
  /** errorstats sampled before and after the PING window of the ladder (seed node). */
  errorWindow: { before: InfoRecord; after: InfoRecord; ms: number } | null;
  /** latency.fork warns above this many ms (--max-fork, maxFork in redis-ops.yaml; default 500). */
  forkWarnMs?: number;
  /** CLUSTER NODES of the seed; null when not a cluster or not readable. */
  clusterNodes: string | null;
  /** Dangerous commands the user may run (ACL DRYRUN); null when it could not be checked. */
  dangerous: string[] | null;
  /** The bounded use probe (CLIENT LIST, SCAN within a budget); null when not run. */
  probe: UseProbe | null;
  /** CONFIG GET of the seed node (the first primary). */
  config: ConfigFacts;
  /** CONFIG GET of every primary, in the order of nodes. */
  configs: ConfigFacts[];
  slowlog: SlowlogFacts;
  scripting: ScriptingFacts | null;
  queues: DiscoveredQueue[] | null;
  queuesUnavailable: string | null;
  /** keys.ttl's bounded key sample (keys-ttl.ts); absent when not taken. */
  keyTtl?: KeyTtlFacts | null;
}

export const forQueues = (use: FactUse): boolean => use === 'queue' || use === 'both';

/** The name of the i-th primary, for messages on a cluster. */
export const nodeName = (facts: Facts, i: number): string => facts.nodeNames[i] ?? `primary ${i + 1}`;

/** A setting from INFO first (works where CONFIG is blocked), then from CONFIG GET. */
export function setting(facts: Facts, infoKey: string, configName: string): string | undefined {
  return facts.info[infoKey] ?? facts.config.values[configName];
}

/** The sum of a numeric INFO field over every primary; undefined when no node reports it. */
export function sumNodes(facts: Facts, key: string): number | undefined {
  let total: number | undefined;
  for (const node of facts.nodes) {
    const n = infoNumber(node, key);
    if (n !== undefined) total = (total ?? 0) + n;
  }
  return total;
}

/** errorstat_<name>:count=N summed over every primary. */
export function errorCount(facts: Facts, name: string): number {
  let total = 0;
  for (const node of facts.nodes) {
    const raw = node[`errorstat_${name}`];
    if (raw !== undefined) total += Number(parseInfoFields(raw).count ?? 0) || 0;
  }
  return total;
}

/** Keys and keys with a TTL, over every db of every primary (INFO keyspace). */
export function keyspaceTotals(facts: Facts): { keys: number; expires: number } {
  let keys = 0;
  let expires = 0;
  for (const node of facts.nodes) {
    for (const db of parseKeyspace(node)) {
      keys += db.keys;
      expires += db.expires;
    }
  }
  return { keys, expires };
}
