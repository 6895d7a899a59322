import { describe, expect, it } from 'vitest';
import { nodeStatsFromInfo, sumTotals } from '../../src/commands/stats/node-stats.js';
import { renderKeys, toKeysJson } from '../../src/commands/stats/render-keys.js';
import { renderWatchRow, watchHeader } from '../../src/commands/stats/render-watch.js';
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

  it('--keys: escaped binary prefixes, unknown memory, estimates marked', () => {
    const r = {
      scanned: 10,
      estimated: true,
      memoryKnown: false,
      totalNamespaces: 1,
      approximate: false,
      other: null,
      ownLookups: { hits: 20, misses: 0 },
      failed: [],
      namespaces: [
        {
          prefix: Buffer.from([0xff, 0x3a]),
          keys: 100,
          bytes: null,
          noTtlKeys: 50,
          types: { string: 100 },
          elements: 0,
        },
      ],
      biggest: [],
      mostElements: [],
      hot: null,
    };
    expect(toKeysJson(r)).toMatchObject({ namespaces: [{ prefix: '\\xff:', keys: 100, bytes: null }] });
    const text = renderKeys(r, 'redis://x');
    expect(text).toMatch(/\\xff:\*\s+│\s+~100\s+│\s+unknown\s+│\s+█{10}\s+│\s+50\.0%/);
    expect(text).toMatch(/memory is unknown/);
  });

  it('--keys: folded prefixes show as one "other" row, marked approximate', () => {
    const r = {
      scanned: 300,
      estimated: false,
      memoryKnown: true,
      totalNamespaces: 1001,
      approximate: true,
      other: { prefixes: 1000, keys: 100, bytes: 1000, noTtlKeys: 0 },
      ownLookups: { hits: 600, misses: 0 },
      failed: [],
      namespaces: [
        {
          prefix: Buffer.from('a:'),
          keys: 200,
          bytes: 3000,
          noTtlKeys: 0,
          types: { string: 200 },
          elements: 0,
        },
      ],
      biggest: [],
      mostElements: [],
      hot: null,
    };
    const text = renderKeys(r, 'redis://x');
    expect(text).toMatch(/^approximate: /m);
    expect(text).toMatch(/a:\*\s+│\s+200\s+│\s+2\.9 KiB\s+│\s+███████▌\s+│/);
    expect(text).toMatch(/other \(1,000 prefixes\)\s+│\s+~100/);
    expect(text).not.toMatch(/more namespaces/);
    expect(toKeysJson(r)).toMatchObject({ approximate: true, other: { prefixes: 1000 } });
  });

  it('--watch rows line up under the header', () => {
    const row = renderWatchRow({
      time: '2026-01-01T10:00:01.000Z',
      seconds: 1,
      hits: 3,
      misses: 1,
      hitRatio: 0.75,
      commands: 12400,
      opsPerSec: 12400,
      evictedKeys: 0,
      evictionsPerSec: 0,
      expiredKeys: 0,
      expirationsPerSec: 0,
      usedMemory: 1048576,
      connectedClients: 3,
      keys: 100,
      topologyChanged: false,
      unreachable: [],
    });
    expect(watchHeader().length).toBe(row.length);
    expect(row).toMatch(/^10:00:01\s+75\.0%\s+12,400/);
  });
});
