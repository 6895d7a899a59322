import { luaSegmentScan, nextStart, type Segment } from './cursor-segments.js';
import { replyInteger, type Reply } from './resp-decode.js';
import type { RespPipe } from './resp-pipe.js';

/**
 * `stats --keys` inside the server, on a standalone server: one EVAL runs SCAN and, for each
 * key, the reads of key-sizes.ts (TYPE, PTTL, MEMORY USAGE, the collection's *LEN, OBJECT FREQ
 * with --hot) until its time budget is spent, and sums them per prefix there. What comes back
 * is a few rows per prefix and the call's largest keys, not a million names and three million
 * replies: sent as commands, the server spent more time reading and answering them than running
 * them (1.46× the commands' own time), and we spent as much again parsing (`npm run bench keys`).
 *
 * The lookups are counted as key-sizes.ts counts them (TYPE and PTTL hits or misses, a *LEN
 * of 0 a miss, OBJECT FREQ a lookup), for the figures stats corrects with them. MEMORY USAGE
 * refused (ACL, provider) is not an error: the call goes on without it and says so. Any other
 * error raises: the EVAL fails with nothing counted, and the caller goes on without the script.
 */
const source = `
local call, pcall, find, sub, sort = redis.call, redis.pcall, string.find, string.sub, table.sort
local cursor, match, count, budget = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local delim, depth, top = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local memory, hot = ARGV[8] == '1', ARGV[9] == '1'
local bits, of, after = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]
local function scan_call(c, n)
  if match == '' then return call('SCAN', c, 'COUNT', n) end
  return call('SCAN', c, 'MATCH', match, 'COUNT', n)
end
${luaSegmentScan}
local lens = { hash = 'HLEN', list = 'LLEN', set = 'SCARD', zset = 'ZCARD', stream = 'XLEN' }
local dl = #delim
local t = call('TIME')
local stop = t[1] * 1000000 + t[2] + budget
local rows, order = {}, {}
local big, long, hottest = {}, {}, {}
local visited, vanished, hits, misses, blocked = 0, 0, 0, 0, 0
-- The call's top entries by field f: append, cut back to top when the list grows, and from
-- then on take only what beats the smallest kept (list.min): a key that does not costs nothing.
local function offer(list, item, f)
  if top < 1 then return end
  local n = #list + 1
  list[n] = item
  if n >= top * 4 then
    sort(list, function(a, b) return a[f] > b[f] end)
    for j = n, top + 1, -1 do list[j] = nil end
    list.min = list[top][f]
  end
end
local function best(list, f)
  sort(list, function(a, b) return a[f] > b[f] end)
  local out = {}
  for j = 1, math.min(top, #list) do out[j] = list[j] end
  return out
end
repeat
  local nxt, keys = segment_scan(cursor)
  visited = visited + #keys
  for i = 1, #keys do
    local k = keys[i]
    local ty = call('TYPE', k)['ok']
    if ty == 'none' then
      vanished = vanished + 1
      misses = misses + 1
    else
      hits = hits + 1
      local p = call('PTTL', k)
      if p == -2 then misses = misses + 1 else hits = hits + 1 end
      local m = false
      if memory then
        local r = pcall('MEMORY', 'USAGE', k)
        if type(r) == 'number' then m = r
        elseif type(r) == 'table' and r.err then memory, blocked = false, 1 end
      end
      local e = false
      local len = lens[ty]
      if len then
        local r = pcall(len, k)
        if type(r) == 'number' and r > 0 then e, hits = r, hits + 1
        elseif type(r) == 'table' then hits = hits + 1
        else misses = misses + 1 end
      end
      local at, from = 0, 1
      for d = 1, depth do
        local s = find(k, delim, from, true)
        if not s then break end
        at = s + dl - 1
        from = at + 1
      end
      local pre = sub(k, 1, at)
      local row = rows[pre]
      if not row then
        row = { 0, 0, 0, 0, 0, {} }
        rows[pre] = row
        order[#order + 1] = pre
      end
      row[1] = row[1] + 1
      if m then row[2] = row[2] + m else row[3] = row[3] + 1 end
      if p == -1 then row[4] = row[4] + 1 end
      if e then row[5] = row[5] + e end
      row[6][ty] = (row[6][ty] or 0) + 1
      if m and m > (big.min or -1) then offer(big, { k, ty, m, e }, 3) end
      if e and e > (long.min or -1) then offer(long, { k, ty, m or 0, e }, 4) end
      if hot then
        local f = call('OBJECT', 'FREQ', k)
        hits = hits + 1
        if f > (hottest.min or -1) then offer(hottest, { k, ty, f }, 3) end
      end
    end
  end
  cursor = nxt
  t = call('TIME')
until not inside(cursor) or t[1] * 1000000 + t[2] >= stop
local out = {}
for j = 1, #order do
  local pre = order[j]
  local row = rows[pre]
  local types = {}
  for name, n in pairs(row[6]) do
    types[#types + 1] = name
    types[#types + 1] = n
  end
  out[j] = { pre, row[1], row[2], row[3], row[4], row[5], types }
end
return { cursor, visited, vanished, hits, misses, blocked, out, best(big, 3), best(long, 4), best(hottest, 3) }`;

export interface KeyScriptCall {
  cursor: string;
  /** MATCH glob as bytes; none: every key. */
  match?: Buffer;
  count: number;
  budgetUs: number;
  delimiter: Buffer;
  depth: number;
  top: number;
  withMemory: boolean;
  hot: boolean;
  segment: Segment;
}

/** One prefix's sums over the keys one call met. */
export interface PrefixRow {
  prefix: Buffer;
  keys: number;
  bytes: number;
  /** Keys whose MEMORY USAGE is unknown (refused). */
  unknownBytes: number;
  noTtlKeys: number;
  elements: number;
  types: Array<[string, number]>;
}

/** A key a call ranked: `[name, type, bytes (or OBJECT FREQ for hot), elements]`. */
export interface ScriptKey {
  key: Buffer;
  type: string;
  /** MEMORY USAGE; for the hot list, OBJECT FREQ. */
  value: number;
  /** Elements of a collection; null for a string (and in the hot list). */
  elements: number | null;
}

export interface KeyScriptStep {
  cursor: string;
  visited: number;
  vanished: number;
  lookupHits: number;
  lookupMisses: number;
  /** MEMORY USAGE was refused: the call went on without it. */
  memoryBlocked: boolean;
  rows: PrefixRow[];
  biggest: ScriptKey[];
  mostElements: ScriptKey[];
  hot: ScriptKey[];
}

/** One call; a RespServerError reply (EVAL denied, a read refused...) is thrown: nothing counted. */
export async function runKeyScript(pipe: RespPipe, call: KeyScriptCall): Promise<KeyScriptStep> {
  const [reply] = await pipe.send([
    [
      'EVAL',
      source,
      '0',
      call.cursor,
      call.match ?? '',
      String(call.count),
      String(call.budgetUs),
      call.delimiter,
      String(call.depth),
      String(call.top),
      call.withMemory ? '1' : '0',
      call.hot ? '1' : '0',
      String(call.segment.bits),
      String(call.segment.of),
      nextStart(call.segment),
    ],
  ]);
  if (reply instanceof Error) throw reply;
  return checkStep(reply);
}

const shape = (): Error => new Error('unexpected reply from the stats script');
const int = (r: Reply | undefined): number => replyInteger(r ?? null, 'EVAL');
const text = (r: Reply | undefined): string => {
  if (!(r instanceof Buffer)) throw shape();
  return r.toString('latin1');
};
const list = (r: Reply | undefined): Reply[] => {
  if (!Array.isArray(r)) throw shape();
  return r;
};

function keysOf(r: Reply | undefined): ScriptKey[] {
  return list(r).map((row) => {
    // Lua false (not a collection) arrives as a nil reply, or not at all at the end of a row.
    const [key, type, value, elements] = list(row);
    if (!(key instanceof Buffer)) throw shape();
    return {
      key,
      type: text(type),
      value: int(value),
      elements: elements === null || elements === undefined ? null : int(elements),
    };
  });
}

function checkStep(reply: Reply | undefined): KeyScriptStep {
  const r = list(reply);
  if (r.length !== 10) throw shape();
  const rows = list(r[6]).map((row): PrefixRow => {
    const [prefix, keys, bytes, unknownBytes, noTtl, elements, types] = list(row);
    if (!(prefix instanceof Buffer)) throw shape();
    const flat = list(types);
    const pairs: Array<[string, number]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([text(flat[i]), int(flat[i + 1])]);
    return {
      prefix,
      keys: int(keys),
      bytes: int(bytes),
      unknownBytes: int(unknownBytes),
      noTtlKeys: int(noTtl),
      elements: int(elements),
      types: pairs,
    };
  });
  return {
    cursor: text(r[0]),
    visited: int(r[1]),
    vanished: int(r[2]),
    lookupHits: int(r[3]),
    lookupMisses: int(r[4]),
    memoryBlocked: int(r[5]) === 1,
    rows,
    biggest: keysOf(r[7]),
    mostElements: keysOf(r[8]),
    hot: keysOf(r[9]),
  };
}
