import { roundedHitRatio, type NodeStats } from './node-stats.js';

/**
 * One --watch row: what happened between two INFO readings, not since start-up. Counters
 * are summed over the nodes; rates divide by the measured interval. Pure, unit-tested.
 */
export interface WindowRow {
  time: string;
  seconds: number;
  hits: number;
  misses: number;
  hitRatio: number | null;
  commands: number;
  opsPerSec: number;
  evictedKeys: number;
  evictionsPerSec: number;
  expiredKeys: number;
  expirationsPerSec: number;
  usedMemory: number;
  connectedClients: number;
  keys: number;
  /**
   * The set of primaries changed since the last row (a cluster failover, a node added or
   * removed): a node new in this window is left out of its counts (its counters are lifetime
   * totals, not this window's) and counted from the next row on.
   */
  topologyChanged: boolean;
  /** Primaries in the slot map that did not answer this time (a failover in progress). */
  unreachable: string[];
}

export interface Reading {
  at: number;
  nodes: NodeStats[];
  /** Primaries that did not answer (cluster only: a standalone failure stops the watch). */
  unreachable?: string[];
}

function delta(prev: NodeStats[], cur: NodeStats[], f: (n: NodeStats) => number | null): number {
  let d = 0;
  for (const c of cur) {
    const p = prev.find((x) => x.address === c.address);
    // New in this window (a promoted replica): no reading before it, so nothing to count yet.
    if (!p) continue;
    // A restarted node's counters start again at zero: count from there.
    const before = f(p) ?? 0;
    const after = f(c) ?? 0;
    d += after >= before ? after - before : after;
  }
  return d;
}

const round = (x: number, places = 2): number => Math.round(x * 10 ** places) / 10 ** places;

export function windowRow(prev: Reading, cur: Reading): WindowRow {
  const seconds = Math.max((cur.at - prev.at) / 1000, 0.001);
  const hits = delta(prev.nodes, cur.nodes, (n) => n.hits);
  const misses = delta(prev.nodes, cur.nodes, (n) => n.misses);
  // Our own INFO per node is counted in total_commands_processed: leave it out.
  const known = cur.nodes.filter((n) => prev.nodes.some((p) => p.address === n.address)).length;
  const commands = Math.max(0, delta(prev.nodes, cur.nodes, (n) => n.commandsProcessed) - known);
  const addresses = (r: Reading): string =>
    [...r.nodes.map((n) => n.address), ...(r.unreachable ?? [])].sort().join(',');
  const evictedKeys = delta(prev.nodes, cur.nodes, (n) => n.evictedKeys);
  const expiredKeys = delta(prev.nodes, cur.nodes, (n) => n.expiredKeys);
  const sum = (f: (n: NodeStats) => number | null): number => cur.nodes.reduce((s, n) => s + (f(n) ?? 0), 0);
  return {
    time: new Date(cur.at).toISOString(),
    seconds: round(seconds, 3),
    hits,
    misses,
    hitRatio: roundedHitRatio(hits, misses),
    commands,
    opsPerSec: round(commands / seconds),
    evictedKeys,
    evictionsPerSec: round(evictedKeys / seconds),
    expiredKeys,
    expirationsPerSec: round(expiredKeys / seconds),
    usedMemory: sum((n) => n.usedMemory),
    connectedClients: sum((n) => n.connectedClients),
    keys: sum((n) => n.keys),
    topologyChanged: addresses(prev) !== addresses(cur),
    unreachable: cur.unreachable ?? [],
  };
}
