import type { Redis } from 'ioredis';
import { errorText } from '../../redis/hints.js';
import { detectServer, parseInfo, type InfoRecord } from '../../redis/info.js';
import { detectProvider } from '../../redis/provider.js';
import { redact } from '../../redis/secrets.js';
import type { Target } from '../../redis/target.js';
import { withTimeout } from '../../redis/timeout.js';
import { nodeStatsFromInfo, sumTotals, type NodeStats } from './node-stats.js';
import type { NodeFailure, StatsResult } from './types.js';

export interface NodeReadings {
  at: number;
  nodes: NodeStats[];
  infos: InfoRecord[];
  failed: NodeFailure[];
}

export function nodeAddress(node: Redis): string {
  return `${node.options.host ?? '127.0.0.1'}:${node.options.port ?? 6379}`;
}

/** INFO from every primary in parallel; a node that fails is reported, the others still count. */
export async function readNodes(primaries: Redis[], timeoutMs: number): Promise<NodeReadings> {
  const at = Date.now();
  const settled = await Promise.allSettled(
    primaries.map((node) => withTimeout(node.info(), timeoutMs, `INFO on ${nodeAddress(node)}`)),
  );
  const nodes: NodeStats[] = [];
  const infos: InfoRecord[] = [];
  const failed: NodeFailure[] = [];
  settled.forEach((s, i) => {
    const address = nodeAddress(primaries[i] as Redis);
    if (s.status === 'fulfilled') {
      const info = parseInfo(s.value);
      infos.push(info);
      nodes.push(nodeStatsFromInfo(address, info));
    } else {
      failed.push({ address, error: redact(errorText(s.reason)) });
    }
  });
  return { at, nodes, infos, failed };
}

export function collectStats(target: Target, readings: NodeReadings): StatsResult {
  const first = readings.infos[0] ?? {};
  const facts = detectServer(first);
  const uptimes = readings.nodes.map((n) => n.uptimeSeconds ?? 0);
  return {
    target: target.display,
    server: {
      engine: facts.engine,
      version: facts.version,
      mode: facts.mode,
      role: facts.role,
      uptimeSeconds: uptimes.length ? Math.min(...uptimes) : null,
      provider: detectProvider(target.host, first),
    },
    nodes: readings.nodes,
    failed: readings.failed,
    totals: sumTotals(readings.nodes),
  };
}
