import { describe, expect, it } from 'vitest';
import { nodeStatsFromInfo } from '../../src/commands/stats/node-stats.js';
import { windowRow } from '../../src/commands/stats/window.js';
import { parseInfo } from '../../src/redis/info.js';

const info = (over: Record<string, string | number> = {}): string =>
  Object.entries({
    redis_version: '7.0.15',
    role: 'master',
    uptime_in_seconds: 100,
    used_memory: 1048576,
    used_memory_peak: 2097152,
    maxmemory: 0,
    maxmemory_policy: 'noeviction',
    mem_fragmentation_ratio: 1.5,
    mem_fragmentation_bytes: 1000,
    keyspace_hits: 10,
    keyspace_misses: 5,
    evicted_keys: 0,
    expired_keys: 2,
    instantaneous_ops_per_sec: 12,
    total_commands_processed: 1000,
    connected_clients: 3,
    blocked_clients: 0,
    maxclients: 10000,
    rdb_last_bgsave_status: 'ok',
    db0: 'keys=80,expires=20,avg_ttl=5000',
    db2: 'keys=20,expires=0,avg_ttl=0',
    ...over,
  })
    .map(([k, v]) => `${k}:${v}`)
    .join('\r\n');

describe('--watch window rows', () => {
  it('measures the interval, not since start-up, and leaves out our own INFO', () => {
    const before = nodeStatsFromInfo(
      'a',
      parseInfo(
        info({ keyspace_hits: 100, keyspace_misses: 50, total_commands_processed: 1000, evicted_keys: 5 }),
      ),
    );
    const after = nodeStatsFromInfo(
      'a',
      parseInfo(
        info({ keyspace_hits: 130, keyspace_misses: 60, total_commands_processed: 1201, evicted_keys: 9 }),
      ),
    );
    const row = windowRow({ at: 0, nodes: [before] }, { at: 2000, nodes: [after] });
    expect(row).toMatchObject({
      seconds: 2,
      hits: 30,
      misses: 10,
      hitRatio: 0.75,
      commands: 200,
      opsPerSec: 100,
      evictedKeys: 4,
      evictionsPerSec: 2,
    });
  });

  it('a restarted node counts from zero', () => {
    const before = nodeStatsFromInfo('a', parseInfo(info({ keyspace_hits: 100 })));
    const after = nodeStatsFromInfo('a', parseInfo(info({ keyspace_hits: 7 })));
    expect(windowRow({ at: 0, nodes: [before] }, { at: 1000, nodes: [after] }).hits).toBe(7);
  });
});
