import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../src/commands/queues/jobs.js';

describe('jobs filters', () => {
  it('--since: a duration ago or an ISO date', () => {
    expect(parseWhen('15m', '--since', 1_000_000)).toBe(100_000);
    expect(parseWhen('2024-01-01T00:00:00Z', '--since', 0)).toBe(Date.UTC(2024, 0, 1));
    expect(() => parseWhen('yesterday', '--since', 0)).toThrow(/invalid --since/);
  });
});
