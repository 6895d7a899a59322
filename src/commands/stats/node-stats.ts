import { hitRatio, infoNumber, parseKeyspace, type DbKeys, type InfoRecord } from '../../redis/info.js';

/** One primary's figures, from one INFO reply (pure: unit-tested without Redis). */
export interface NodeStats {
  address: string;
  role: string;
  uptimeSeconds: number | null;
  usedMemory: number | null;
  peakMemory: number | null;
  maxmemory: number | null;
  maxmemoryPolicy: string | null;
  fragmentationRatio: number | null;
  fragmentationBytes: number | null;
  keys: number;
  expires: number;
  dbs: DbKeys[];
  hits: number | null;
  misses: number | null;
  evictedKeys: number | null;
  expiredKeys: number | null;
  opsPerSec: number | null;
  commandsProcessed: number | null;
  inputKbps: number | null;
  outputKbps: number | null;
  connectedClients: number | null;
  blockedClients: number | null;
  maxclients: number | null;
  persistence: Record<string, string> | null;
  replication: Record<string, string> | null;
}

const persistenceFields = [
  'loading',
  'rdb_changes_since_last_save',
  'rdb_last_bgsave_status',
  'rdb_last_save_time',
  'aof_enabled',
  'aof_last_write_status',
  'aof_last_bgrewrite_status',
];
const replicationFields = [
  'role',
  'connected_slaves',
  'master_host',
  'master_port',
  'master_link_status',
  'master_last_io_seconds_ago',
];

function infoSubset(info: InfoRecord, fields: string[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const f of fields) if (info[f] !== undefined) out[f] = info[f];
  return Object.keys(out).length > 0 ? out : null;
}

export function nodeStatsFromInfo(address: string, info: InfoRecord): NodeStats {
  const n = (k: string): number | null => infoNumber(info, k) ?? null;
  const dbs = parseKeyspace(info);
  return {
    address,
    role: info.role ?? 'unknown',
    uptimeSeconds: n('uptime_in_seconds'),
    usedMemory: n('used_memory'),
    peakMemory: n('used_memory_peak'),
    maxmemory: n('maxmemory'),
    maxmemoryPolicy: info.maxmemory_policy ?? null,
    fragmentationRatio: n('mem_fragmentation_ratio'),
    fragmentationBytes: n('mem_fragmentation_bytes'),
    keys: dbs.reduce((s, d) => s + d.keys, 0),
    expires: dbs.reduce((s, d) => s + d.expires, 0),
    dbs,
    hits: n('keyspace_hits'),
    misses: n('keyspace_misses'),
    evictedKeys: n('evicted_keys'),
    expiredKeys: n('expired_keys'),
    opsPerSec: n('instantaneous_ops_per_sec'),
    commandsProcessed: n('total_commands_processed'),
    inputKbps: n('instantaneous_input_kbps'),
    outputKbps: n('instantaneous_output_kbps'),
    connectedClients: n('connected_clients'),
    blockedClients: n('blocked_clients'),
    maxclients: n('maxclients'),
    persistence: infoSubset(info, persistenceFields),
    replication: infoSubset(info, replicationFields),
  };
}

/** The hit ratio as stats reports it: rounded to 4 places; null when there were no lookups. */
export function roundedHitRatio(hits: number | null, misses: number | null): number | null {
  const ratio = hitRatio(hits, misses);
  return ratio === null ? null : Math.round(ratio * 10000) / 10000;
}

export interface Totals {
  keys: number;
  expires: number;
  hits: number;
  misses: number;
  hitRatio: number | null;
  usedMemory: number;
  maxmemory: number;
  memoryUsedPct: number | null;
  evictedKeys: number;
  expiredKeys: number;
  opsPerSec: number;
  connectedClients: number;
}

/** Sums over the nodes that answered; the hit ratio comes from the sums, not an average. */
export function sumTotals(nodes: NodeStats[]): Totals {
  const sum = (f: (n: NodeStats) => number | null): number => nodes.reduce((s, n) => s + (f(n) ?? 0), 0);
  const usedMemory = sum((n) => n.usedMemory);
  const maxmemory = sum((n) => n.maxmemory);
  // Any node without a limit (0) makes the cluster's limit unbounded.
  const bounded = nodes.length > 0 && nodes.every((n) => (n.maxmemory ?? 0) > 0);
  const hits = sum((n) => n.hits);
  const misses = sum((n) => n.misses);
  return {
    keys: sum((n) => n.keys),
    expires: sum((n) => n.expires),
    hits,
    misses,
    hitRatio: roundedHitRatio(hits, misses),
    usedMemory,
    maxmemory: bounded ? maxmemory : 0,
    memoryUsedPct: bounded ? Math.round((usedMemory / maxmemory) * 10000) / 10000 : null,
    evictedKeys: sum((n) => n.evictedKeys),
    expiredKeys: sum((n) => n.expiredKeys),
    opsPerSec: sum((n) => n.opsPerSec),
    connectedClients: sum((n) => n.connectedClients),
  };
}
