import { detectServer, parseInfo } from './info.js';
import { replyText } from './resp-decode.js';
import type { RespPipe } from './resp-pipe.js';

/**
 * SCAN's walk split in four, so that four script calls can be in flight on one connection and
 * the server never waits for our round trip between two of them (`npm run bench flush`: the
 * wait was 10% of the run).
 *
 * Redis's dictScan (dict.c) visits the buckets in reverse-binary order: the next cursor is the
 * current one with its bits reversed, plus one, reversed back, at the table's width. The two
 * lowest bits of the cursor are therefore the two highest of that reversed counter: they stay
 * the same for a whole quarter of the walk and change only where the quarter ends, through
 * resizes and rehashing alike (a table has at least 4 buckets, so both tables' masks cover the
 * two bits). The quarters come in the order of the cursors 0, 2, 1, 3, and quarter q starts at
 * the cursor that is its own two bits. A walk that starts at that cursor and stops when the two
 * bits change (or at 0) is exactly that quarter: the four together are the whole SCAN, with its
 * guarantee (every key present throughout is returned). test/e2e/cursor-segments.test.ts checks
 * it against the server while the table grows and shrinks under the walk.
 *
 * Only where the cursor is Redis's own: other engines (Valkey's new hashtable, Dragonfly,
 * KeyDB, Upstash) number their cursors their own way, and get one segment, the plain walk.
 */
export interface Segment {
  /** The cursor this segment starts at. */
  start: string;
  /** The value of the cursor's two low bits inside it (the script stops when they change). */
  bits: number;
  /** How many segments split the walk: 1 (no split) or 4. */
  of: number;
}

/** In the order the walk visits them. */
const quarters = ['0', '2', '1', '3'];

export function segmentsOf(count: 1 | 4): Segment[] {
  if (count === 1) return [{ start: '0', bits: 0, of: 1 }];
  return quarters.map((start) => ({ start, bits: Number(start), of: 4 }));
}

/** The two low bits of a decimal cursor: 100 is a multiple of 4, so the last two digits tell. */
export function lowBits(cursor: string): number {
  return Number(cursor.slice(-2)) % 4;
}

/** Is `cursor` (returned by a SCAN inside `segment`) still inside it? */
export function insideSegment(cursor: string, segment: Segment): boolean {
  return cursor !== '0' && (segment.of === 1 || lowBits(cursor) === segment.bits);
}

/** The cursor the segment after this one starts at ('0': the walk's end). */
export function nextStart(segment: Segment): string {
  if (segment.of === 1) return '0';
  const i = quarters.indexOf(segment.start);
  return quarters[i + 1] ?? '0';
}

/**
 * Lua for a script that walks one segment: `segment_scan(cursor)` returns the next cursor and
 * the keys of the segment's buckets from `cursor` on. A SCAN call goes on through buckets until
 * it has COUNT keys, so the call that reaches the segment's edge can run past it and return keys
 * of the next segment, which that segment returns too: counted twice. Such a call (its cursor
 * is outside and not the next start, where a call that stops exactly at the edge lands) is
 * done again one bucket at a time: COUNT 1 stops at the first bucket that has keys (MATCH and
 * TYPE filter afterwards), so each call's keys are one bucket's, and they are the segment's
 * when the cursor after it is still inside or is the next start. The region is less than one
 * call's worth of keys, once per segment. The script defines `scan_call(cursor, count)` and the
 * locals `count`, `bits`, `of` and `after` (nextStart) before this.
 */
export const luaSegmentScan = `
local function inside(c) return c ~= '0' and (of == 1 or tonumber(string.sub(c, -2)) % of == bits) end
local function segment_scan(c)
  local r = scan_call(c, count)
  local nxt = r[1]
  if of == 1 or nxt == after or inside(nxt) then return nxt, r[2] end
  local keys = {}
  repeat
    local f = scan_call(c, 1)
    c = f[1]
    if c == after or inside(c) then
      local got = f[2]
      for i = 1, #got do keys[#keys + 1] = got[i] end
    end
  until not inside(c)
  return c, keys
end
`;

/**
 * Walk the segments with `workers` calls in flight at most (each worker takes the next segment
 * when its own is done): two keep the server busy while we read a reply; more would only make a
 * concurrent client wait behind more queued calls.
 */
export async function walkSegments(
  segments: Segment[],
  walk: (segment: Segment, index: number) => Promise<void>,
  workers = 2,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < segments.length) {
      const i = next++;
      await walk(segments[i] as Segment, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, segments.length) }, worker));
}

/** What each pipe's server is, read once per connection (flush asks once per pattern). */
const counts = new WeakMap<RespPipe, Promise<1 | 4>>();

/** 4 on Redis itself (its cursor is dictScan's), else 1: one INFO server per pipe. */
export function segmentCount(pipe: RespPipe): Promise<1 | 4> {
  let count = counts.get(pipe);
  if (count === undefined) {
    count = readSegmentCount(pipe);
    // A failed read (the connection dropped) is asked again on the next walk, not remembered.
    count.catch(() => counts.delete(pipe));
    counts.set(pipe, count);
  }
  return count;
}

async function readSegmentCount(pipe: RespPipe): Promise<1 | 4> {
  const [reply] = await pipe.send([['INFO', 'server']]);
  const text = reply instanceof Error ? null : replyText(reply ?? null);
  if (text === null) return 1;
  const info = parseInfo(text);
  if (info.upstash_version !== undefined) return 1;
  return detectServer(info).engine === 'redis' && info.redis_version !== undefined ? 4 : 1;
}
