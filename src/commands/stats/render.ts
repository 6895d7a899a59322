import { hitRatio } from '../../redis/info.js';
import { color } from '../../ui/colors.js';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate } from '../../ui/format.js';
import type { NodeStats } from './node-stats.js';
import type { StatsJson, StatsResult } from './types.js';
import { gridTable, sectionTable } from '../../ui/table.js';

/** The documented JSON shape (README "stats --json"). */
export function toStatsJson(r: StatsResult): StatsJson {
  return {
    target: r.target,
    server: r.server,
    nodes: r.nodes.map((n) => ({
      address: n.address,
      role: n.role,
      usedMemory: n.usedMemory,
      peakMemory: n.peakMemory,
      maxmemory: n.maxmemory,
      maxmemoryPolicy: n.maxmemoryPolicy,
      fragmentationRatio: n.fragmentationRatio,
      fragmentationBytes: n.fragmentationBytes,
      keys: n.keys,
      expires: n.expires,
      dbs: n.dbs,
      hits: n.hits,
      misses: n.misses,
      evictedKeys: n.evictedKeys,
      expiredKeys: n.expiredKeys,
      opsPerSec: n.opsPerSec,
      inputKbps: n.inputKbps,
      outputKbps: n.outputKbps,
      connectedClients: n.connectedClients,
      blockedClients: n.blockedClients,
      maxclients: n.maxclients,
      persistence: n.persistence,
      replication: n.replication,
    })),
    failedNodes: r.failed,
    totals: r.totals,
  };
}

const kbps = (v: number | null): string => (v === null ? 'unknown' : `${formatBytes(v * 1024)}/s`);

function memoryLine(r: StatsResult, policy: string | null, frag: NodeStats | undefined): string {
  const t = r.totals;
  const limit =
    t.maxmemory > 0 ? `${formatBytes(t.maxmemory)} (${formatPercent(t.memoryUsedPct)} used)` : 'none';
  const peak = r.nodes.reduce((s, n) => s + (n.peakMemory ?? 0), 0);
  const parts = [
    `used ${formatBytes(t.usedMemory)}`,
    `peak ${formatBytes(peak)}`,
    `maxmemory ${limit}`,
    `policy ${policy ?? 'unknown'}`,
  ];
  if (frag?.fragmentationRatio !== null && frag?.fragmentationRatio !== undefined) {
    parts.push(
      `fragmentation ${frag.fragmentationRatio.toFixed(2)} (${formatBytes(frag.fragmentationBytes)})`,
    );
  }
  return parts.join(' · ');
}

function keyspaceLine(nodes: NodeStats[]): string {
  const byDb = new Map<number, { keys: number; expires: number; ttlWeighted: number }>();
  for (const n of nodes) {
    for (const d of n.dbs) {
      const cur = byDb.get(d.db) ?? { keys: 0, expires: 0, ttlWeighted: 0 };
      cur.keys += d.keys;
      cur.expires += d.expires;
      cur.ttlWeighted += d.avgTtlMs * d.expires;
      byDb.set(d.db, cur);
    }
  }
  if (byDb.size === 0) return 'empty';
  return [...byDb]
    .map(([db, d]) => {
      const avg = d.expires > 0 ? `, avg TTL ${formatDuration(d.ttlWeighted / d.expires / 1000)}` : '';
      return `db${db} ${formatCount(d.keys)} keys, ${formatCount(d.expires)} with TTL${avg}`;
    })
    .join(' · ');
}

function persistenceLine(p: Record<string, string>): string {
  const rdb = `rdb ${p.rdb_last_bgsave_status ?? 'unknown'}, ${p.rdb_changes_since_last_save === undefined ? '?' : formatCount(Number(p.rdb_changes_since_last_save))} changes since last save`;
  const aof =
    p.aof_enabled === '1' ? `aof on, last write ${p.aof_last_write_status ?? 'unknown'}` : 'aof off';
  return `${rdb} · ${aof}${p.loading === '1' ? ' · loading' : ''}`;
}

function replicationLine(rep: Record<string, string>): string {
  if (rep.role === 'slave')
    return `replica of ${rep.master_host}:${rep.master_port}, link ${rep.master_link_status ?? 'unknown'}, last I/O ${rep.master_last_io_seconds_ago ?? '?'}s ago`;
  return `${rep.role ?? 'master'}, ${rep.connected_slaves ?? '0'} replicas`;
}

export function renderStats(r: StatsResult): string {
  const c = color();
  const t = r.totals;
  const s = r.server;
  const first = r.nodes[0];
  const single = r.nodes.length === 1 && r.failed.length === 0;
  const rows: Array<[string, string]> = [
    [
      'server',
      `${s.engine} ${s.version} · ${s.mode} · ${s.role} · up ${formatDuration(s.uptimeSeconds)} · ${s.provider}`,
    ],
    ['memory', memoryLine(r, first?.maxmemoryPolicy ?? null, single ? first : undefined)],
    [
      'cache',
      `hits ${formatCount(t.hits)} · misses ${formatCount(t.misses)} · hit ratio ${formatPercent(t.hitRatio)} · evicted ${formatCount(t.evictedKeys)} · expired ${formatCount(t.expiredKeys)}`,
    ],
    ['traffic', trafficLine(r)],
    ['keyspace', keyspaceLine(r.nodes)],
  ];
  if (single && first?.persistence) rows.push(['persistence', persistenceLine(first.persistence)]);
  if (single && first?.replication) rows.push(['replication', replicationLine(first.replication)]);
  const out = [
    `${c.bold('redis-ops stats')}  ${r.target}`,
    '',
    sectionTable(rows.map(([k, v]) => [c.bold(k), v])),
  ];
  if (!single) out.push('', renderNodes(r));
  return out.join('\n');
}

function trafficLine(r: StatsResult): string {
  const sum = (f: (n: NodeStats) => number | null): number | null =>
    r.nodes.some((n) => f(n) !== null) ? r.nodes.reduce((a, n) => a + (f(n) ?? 0), 0) : null;
  const maxclients = sum((n) => n.maxclients);
  const clients = `clients ${formatCount(r.totals.connectedClients)} connected, ${formatCount(sum((n) => n.blockedClients))} blocked${maxclients ? ` / ${formatCount(maxclients)} max` : ''}`;
  return [
    formatRate(r.totals.opsPerSec),
    `in ${kbps(sum((n) => n.inputKbps))}`,
    `out ${kbps(sum((n) => n.outputKbps))}`,
    clients,
  ].join(' · ');
}

/** A row per node and the totals (cluster, or any node that failed). */
export function renderNodes(r: StatsResult): string {
  const t = r.totals;
  const rows = r.nodes.map((n) => [
    n.address,
    n.role,
    formatCount(n.keys),
    formatBytes(n.usedMemory),
    formatCount(n.hits),
    formatCount(n.misses),
    formatPercent(hitRatio(n.hits, n.misses)),
    formatRate(n.opsPerSec, '/s'),
    formatCount(n.connectedClients),
  ]);
  for (const f of r.failed) rows.push([f.address, color().red('failed'), '', '', '', '', '', '', f.error]);
  rows.push([
    'total',
    '',
    formatCount(t.keys),
    formatBytes(t.usedMemory),
    formatCount(t.hits),
    formatCount(t.misses),
    formatPercent(t.hitRatio),
    formatRate(t.opsPerSec, '/s'),
    formatCount(t.connectedClients),
  ]);
  return gridTable(
    ['node', 'role', 'keys', 'memory', 'hits', 'misses', 'hit ratio', 'ops', 'clients'],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}
