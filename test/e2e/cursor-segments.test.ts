import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  insideSegment,
  luaSegmentScan,
  nextStart,
  segmentsOf,
  type Segment,
} from '../../src/redis/cursor-segments.js';
import { scanNode } from '../../src/redis/scan.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The claim flush and stats --keys rest on (cursor-segments.ts): the four quarters of SCAN's
 * walk, each from its start cursor until the cursor's low two bits change, are together the
 * whole walk, with SCAN's guarantee, also while the table grows or shrinks under them. Checked
 * against the server's own SCAN, the segments walked in turn one call at a time.
 */
let server: RedisServer;
let client: Redis;
let db = 0;

beforeAll(async () => {
  server = await startRedis();
  client = server.client();
});
afterAll(async () => {
  await server.stop();
});
// Each test in a database of its own, empty: no FLUSHDB needed.
beforeEach(async () => {
  await client.select(++db);
});

/** Walk every segment with the scanner, a batch of each in turn; `between` runs after each. */
async function walk(segments: Segment[], between: (step: number) => Promise<void> = async () => {}) {
  const seen: string[][] = segments.map(() => []);
  const walks = segments.map((segment) => scanNode(client, { count: 50, segment }));
  const live = new Set(walks.keys());
  let step = 0;
  while (live.size > 0) {
    for (const i of [...live]) {
      const r = await (walks[i] as AsyncGenerator<Buffer[]>).next();
      if (r.done) live.delete(i);
      else seen[i]?.push(...r.value.map(String));
      await between(step++);
    }
  }
  return seen;
}

/** The same walk through the scripts' Lua (luaSegmentScan), one call of each segment in turn. */
const script = `
local count, bits, of, after = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local function scan_call(c, n) return redis.call('SCAN', c, 'COUNT', n) end
${luaSegmentScan}
local nxt, keys = segment_scan(ARGV[1])
return {nxt, keys}`;

async function walkLua(segments: Segment[], between: () => Promise<void> = async () => {}) {
  const seen: string[][] = segments.map(() => []);
  const cursors: Array<string | null> = segments.map((s) => s.start);
  while (cursors.some((c) => c !== null)) {
    for (const [i, segment] of segments.entries()) {
      const cursor = cursors[i];
      if (typeof cursor !== 'string') continue;
      const [next, keys] = (await client.eval(
        script,
        0,
        cursor,
        50,
        segment.bits,
        segment.of,
        nextStart(segment),
      )) as [string, string[]];
      seen[i]?.push(...keys);
      cursors[i] = insideSegment(next, segment) ? next : null;
      await between();
    }
  }
  return seen;
}

async function fill(from: number, to: number, prefix = 'k'): Promise<void> {
  const p = client.pipeline();
  for (let i = from; i < to; i++) p.set(`${prefix}:${i}`, '1');
  await p.exec();
}

describe('SCAN cursor segments', () => {
  it('split a still table into four disjoint parts that make up every key', async () => {
    await fill(0, 20_000);
    // Still: the rehash the growth started is finished (serverCron does it a millisecond a tick).
    await new Promise((r) => setTimeout(r, 500));
    const seen = await walk(segmentsOf(4));
    const all = seen.flat();
    expect(new Set(all).size).toBe(20_000);
    expect(all.length).toBe(20_000); // no key in two quarters
    for (const part of seen) expect(part.length).toBeGreaterThan(3_000); // each a real share
  });

  it('cover an empty database and a table of four buckets', async () => {
    expect((await walk(segmentsOf(4))).flat()).toEqual([]);
    await fill(0, 3);
    expect(new Set((await walk(segmentsOf(4))).flat()).size).toBe(3);
  });

  it('keep SCAN’s guarantee while the table grows many times under the walk', async () => {
    await fill(0, 1_000);
    const before = Array.from({ length: 1_000 }, (_, i) => `k:${i}`);
    let added = 1_000;
    const seen = await walk(segmentsOf(4), async () => {
      if (added < 60_000) {
        await fill(added, added + 1_000, 'new');
        added += 1_000;
      }
    });
    const found = new Set(seen.flat());
    for (const k of before) expect(found.has(k)).toBe(true);
  });

  it('keep SCAN’s guarantee while the table shrinks under the walk', async () => {
    await fill(0, 40_000);
    const keep = new Set<string>();
    for (let i = 0; i < 40_000; i += 100) keep.add(`k:${i}`);
    let next = 0;
    const seen = await walk(segmentsOf(4), async (step) => {
      if (next >= 40_000) return;
      const p = client.pipeline();
      for (let i = next; i < next + 4_000; i++) if (!keep.has(`k:${i}`)) p.unlink(`k:${i}`);
      await p.exec();
      next += 4_000;
      // serverCron shrinks the table (below 10% full) at hz 10: give it the chance mid-walk.
      if (step % 8 === 0) await new Promise((r) => setTimeout(r, 120));
    });
    const found = new Set(seen.flat());
    for (const k of keep) expect(found.has(k)).toBe(true);
  });

  it('the scripts’ Lua walk splits the same way, and keeps the guarantee while the table grows', async () => {
    await fill(0, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const seen = await walkLua(segmentsOf(4));
    expect(seen.flat().length).toBe(20_000);
    expect(new Set(seen.flat()).size).toBe(20_000);
    let added = 0;
    const grown = await walkLua(segmentsOf(4), async () => {
      if (added < 40_000) await fill(added, (added += 1_000), 'new');
    });
    const found = new Set(grown.flat());
    for (let i = 0; i < 20_000; i++) expect(found.has(`k:${i}`)).toBe(true);
  });

  it('one segment is the plain walk', async () => {
    await fill(0, 500);
    const [only] = segmentsOf(1);
    expect(only).toEqual({ start: '0', bits: 0, of: 1 });
    expect(new Set((await walk(segmentsOf(1))).flat()).size).toBe(500);
  });
});
