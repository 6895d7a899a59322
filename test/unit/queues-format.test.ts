import { describe, expect, it } from 'vitest';
import { formatAge } from '../../src/commands/queues/format.js';

describe('queues table', () => {
  it('ages', () => {
    expect([
      formatAge(null),
      formatAge(850),
      formatAge(12_000),
      formatAge(245_000),
      formatAge(3 * 3_600_000 + 720_000),
      formatAge(2 * 86_400_000 + 4 * 3_600_000),
    ]).toEqual(['-', '850ms', '12s', '4m 05s', '3h 12m', '2d 4h']);
  });
});
