import { describe, expect, it } from 'vitest';
import { nodeStatsFromInfo } from '../../src/commands/stats/node-stats.js';
import { windowRow } from '../../src/commands/stats/window.js';
import { parseInfo } from '../../src/redis/info.js';
import { info } from '../helpers/info-fixture.js';

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
