import { describe, expect, it } from 'vitest';
import {
  insideSegment,
  lowBits,
  nextStart,
  segmentsOf,
  walkSegments,
} from '../../src/redis/cursor-segments.js';

// The pure half of cursor-segments.ts; test/e2e/cursor-segments.test.ts checks the claim
// against the server's SCAN.
describe('cursor segments', () => {
  it('are the quarters in the order the walk visits them', () => {
    expect(segmentsOf(4).map((s) => [s.start, s.bits])).toEqual([
      ['0', 0],
      ['2', 2],
      ['1', 1],
      ['3', 3],
    ]);
    expect(segmentsOf(4).map(nextStart)).toEqual(['2', '1', '3', '0']);
    expect(nextStart(segmentsOf(1)[0] as never)).toBe('0');
  });

  it('read the two low bits off the decimal cursor, also past 2^53', () => {
    expect([0, 1, 2, 3, 4, 13, 98, 99, 100].map((n) => lowBits(String(n)))).toEqual([
      0, 1, 2, 3, 0, 1, 2, 3, 0,
    ]);
    // 2^64 - 1 is ...615: odd, and 15 % 4 = 3 (a double would have lost the low bits).
    expect(lowBits('18446744073709551615')).toBe(3);
    expect(lowBits('18446744073709551614')).toBe(2);
  });

  it('say whether a cursor is still inside', () => {
    const [q0, q2] = segmentsOf(4) as [never, never];
    expect(insideSegment('4', q0)).toBe(true);
    expect(insideSegment('6', q0)).toBe(false);
    expect(insideSegment('0', q0)).toBe(false); // the walk's end
    expect(insideSegment('6', q2)).toBe(true);
    const [whole] = segmentsOf(1) as [never];
    expect(insideSegment('7', whole)).toBe(true);
    expect(insideSegment('0', whole)).toBe(false);
  });

  it('are walked with two calls in flight at most, each segment once', async () => {
    let now = 0;
    let most = 0;
    const done: number[] = [];
    await walkSegments(segmentsOf(4), async (_s, i) => {
      most = Math.max(most, ++now);
      await new Promise((r) => setTimeout(r, 5 * (4 - i)));
      now--;
      done.push(i);
    });
    expect(most).toBe(2);
    expect([...done].sort()).toEqual([0, 1, 2, 3]);
  });
});
