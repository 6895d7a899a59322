import { describe, expect, it } from 'vitest';
import { parseChoice, parseCount, parseDuration } from '../../src/commands/queues/options.js';

describe('flag parsing', () => {
  it('durations, counts and choices', () => {
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('soon')).toThrow(/invalid --grace: soon/);
    expect(parseCount('0', '--max-failed')).toBe(0);
    expect(() => parseCount('-1', '--max-failed')).toThrow(/invalid --max-failed/);
    expect(parseChoice('wait', '--state', ['waiting', 'failed'] as const)).toBe('waiting');
    expect(() => parseChoice('x', '--state', ['failed'] as const)).toThrow(/invalid --state/);
  });
});
