import { describe, expect, it } from 'vitest';
import { TopKeys } from '../../src/commands/stats/hits-topk.js';

describe('top keys (space-saving)', () => {
  it('keeps the heavy hitters of a long tail and reports guaranteed counts', () => {
    const top = new TopKeys(16);
    for (let i = 0; i < 10_000; i++) {
      top.add(Buffer.from(`tail:${i}`));
      if (i % 10 === 0) top.add(Buffer.from('hot'));
    }
    const [first] = top.top(1);
    expect(first?.key.toString()).toBe('hot');
    expect(first?.count).toBeGreaterThan(900);
    expect(first?.count).toBeLessThanOrEqual(1000);
  });
});
