import { describe, expect, it } from 'vitest';
import { renderWatchRow, watchHeader } from '../../src/commands/stats/render-watch.js';

describe('stats renderers', () => {
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
