import { describe, expect, it } from 'vitest';
import { nodeStatsFromInfo, sumTotals } from '../../src/commands/stats/node-stats.js';
import { renderStats, toStatsJson } from '../../src/commands/stats/render.js';
import type { StatsResult } from '../../src/commands/stats/types.js';
import { parseInfo } from '../../src/redis/info.js';

const node = (address: string, hits: number): ReturnType<typeof nodeStatsFromInfo> =>
  nodeStatsFromInfo(
    address,
    parseInfo(
      `role:master\r\nused_memory:1048576\r\nkeyspace_hits:${hits}\r\nkeyspace_misses:5\r\ndb0:keys=100,expires=20,avg_ttl=5000`,
    ),
  );

const result = (nodes: StatsResult['nodes'], failed: StatsResult['failed'] = []): StatsResult => ({
  target: 'redis://127.0.0.1:7001',
  server: {
    engine: 'redis',
    version: '7.0.15',
    mode: 'cluster',
    role: 'master',
    uptimeSeconds: 60,
    provider: 'local',
  },
  nodes,
  failed,
  totals: sumTotals(nodes),
});

describe('stats renderers', () => {
  it('JSON keeps the documented fields', () => {
    const json = toStatsJson(result([node('a:1', 10)])) as Record<string, any>;
    expect(json.nodes[0]).toMatchObject({
      address: 'a:1',
      role: 'master',
      usedMemory: 1048576,
      keys: 100,
      hits: 10,
      misses: 5,
    });
    expect(json.totals).toMatchObject({
      keys: 100,
      expires: 20,
      hits: 10,
      misses: 5,
      hitRatio: 0.6667,
      memoryUsedPct: null,
    });
  });
  it('a standalone snapshot prints sections; a cluster adds a row per node, failures and totals', () => {
    const one = renderStats(result([node('a:1', 10)]));
    expect(one).toMatch(/^cache\s+hits 10 · misses 5 · hit ratio 66\.7%/m);
    expect(one).toMatch(/^keyspace\s+db0 100 keys, 20 with TTL, avg TTL 5s/m);
    const many = renderStats(
      result([node('a:1', 10), node('a:2', 20)], [{ address: 'a:3', error: 'Connection is closed.' }]),
    );
    expect(many).toMatch(/a:3 .*failed/);
    expect(many).toMatch(/total .* 200 .* 2\.0 MiB .* 30/);
  });
});
