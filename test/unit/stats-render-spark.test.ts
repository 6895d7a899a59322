import { describe, expect, it } from 'vitest';
import { renderSparks } from '../../src/commands/stats/render-spark.js';
import type { WindowRow } from '../../src/commands/stats/window.js';

const row = (ops: number, hitRatio: number | null, usedMemory: number): WindowRow => ({
  time: '2026-01-01T10:00:00.000Z',
  seconds: 1,
  hits: 0,
  misses: 0,
  hitRatio,
  commands: ops,
  opsPerSec: ops,
  evictedKeys: 0,
  evictionsPerSec: 0,
  expiredKeys: 0,
  expirationsPerSec: 0,
  usedMemory,
  connectedClients: 1,
  keys: 1,
  topologyChanged: false,
  unreachable: [],
});

describe('sparklines', () => {
  it.each([40, 60, 80, 120])('three lines shorter than %i columns, newest figure at the end', (width) => {
    const rows = Array.from({ length: 100 }, (_, i) =>
      row(i * 1000, i % 2 ? 0.9 : null, 1024 * 1024 * (i + 1)),
    );
    const lines = renderSparks(rows, width);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect([...l].length).toBeLessThan(width);
    expect(lines[0]).toMatch(/^ops\/s +[▁-█]+ +99,000 \/s$/);
    expect(lines[2]).toMatch(/100 MiB$/);
  });
});
