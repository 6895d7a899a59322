import { describe, expect, it } from 'vitest';
import { nodeStatsFromInfo, roundedHitRatio, sumTotals } from '../../src/commands/stats/node-stats.js';
import { parseInfo } from '../../src/redis/info.js';
import { info } from '../helpers/info-fixture.js';

describe('INFO → node stats', () => {
  it('reads memory, cache, traffic and keyspace figures', () => {
    const n = nodeStatsFromInfo('127.0.0.1:7001', parseInfo(`# Server\r\n${info()}`));
    expect(n).toMatchObject({
      address: '127.0.0.1:7001',
      role: 'master',
      usedMemory: 1048576,
      keys: 100,
      expires: 20,
      hits: 10,
      misses: 5,
      opsPerSec: 12,
      maxclients: 10000,
    });
    expect(n.dbs).toEqual([
      { db: 0, keys: 80, expires: 20, avgTtlMs: 5000 },
      { db: 2, keys: 20, expires: 0, avgTtlMs: 0 },
    ]);
    expect(n.persistence).toEqual({ rdb_last_bgsave_status: 'ok' });
    expect(n.replication).toEqual({ role: 'master' });
  });

  it('hit ratio is none without lookups', () => {
    expect(roundedHitRatio(0, 0)).toBeNull();
    expect(roundedHitRatio(10, 5)).toBe(0.6667);
  });

  it('totals sum the nodes; the hit ratio comes from the sums; maxmemory only when every node has one', () => {
    const a = nodeStatsFromInfo(
      'a',
      parseInfo(info({ keyspace_hits: 90, keyspace_misses: 10, maxmemory: 1000, used_memory: 500 })),
    );
    const b = nodeStatsFromInfo(
      'b',
      parseInfo(info({ keyspace_hits: 0, keyspace_misses: 100, maxmemory: 1000, used_memory: 300 })),
    );
    const t = sumTotals([a, b]);
    expect(t).toMatchObject({
      keys: 200,
      hits: 90,
      misses: 110,
      hitRatio: 0.45,
      usedMemory: 800,
      maxmemory: 2000,
      memoryUsedPct: 0.4,
      opsPerSec: 24,
      connectedClients: 6,
    });
    const c = nodeStatsFromInfo('c', parseInfo(info({ maxmemory: 0 })));
    expect(sumTotals([a, c])).toMatchObject({ maxmemory: 0, memoryUsedPct: null });
  });
});
