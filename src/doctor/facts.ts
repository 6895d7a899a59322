import type { DiscoveredQueue } from '../queues/discover.js';
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
  entries: SlowlogEntry[];
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

export interface KeyTtlFacts {
  sampled: number;
  namespaces: TtlNamespace[];
  unavailable: string | null;
}

export interface Facts {
  /** INFO of the node the ladder reached (the seed node on a cluster). */
  info: InfoRecord;
  /** INFO of every primary (one entry on a standalone server). */
  nodes: InfoRecord[];
  server: ServerFacts;
  provider: Provider;
  host: string;
  hasPassword: boolean;
  username: string;
  isCluster: boolean;
  use: Use;
  useSource: 'flag' | 'config' | 'inferred';
  config: ConfigFacts;
  slowlog: SlowlogFacts;
  scripting: ScriptingFacts | null;
  queues: DiscoveredQueue[] | null;
  queuesUnavailable: string | null;
  /** keys.ttl's bounded key sample (keys-ttl.ts); absent when not taken. */
  keyTtl?: KeyTtlFacts | null;
}

export const forQueues = (use: Use): boolean => use === 'queue' || use === 'both';

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
