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
}

export interface Reading {
  at: number;
  nodes: NodeStats[];
}

function delta(prev: NodeStats[], cur: NodeStats[], f: (n: NodeStats) => number | null): number {
  let d = 0;
  for (const c of cur) {
    const p = prev.find((x) => x.address === c.address);
    // A restarted node's counters start again at zero: count from there.
    const before = p ? (f(p) ?? 0) : 0;
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
  const commands = Math.max(0, delta(prev.nodes, cur.nodes, (n) => n.commandsProcessed) - cur.nodes.length);
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
  };
}
