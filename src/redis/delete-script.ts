import { replyInteger, RespServerError, type Reply } from './resp-decode.js';
import type { RespPipe } from './resp-pipe.js';
import { luaSegmentScan, nextStart, type Segment } from './cursor-segments.js';

/**
 * flush's streaming deletion on a standalone server, inside the server: one EVAL runs SCAN +
 * UNLINK in a loop until its time budget is spent, so key names never travel to us and back
 * and the server never waits for a round trip (the EVAL loop of `npm run bench flush`, with
 * fewer calls). The budget bounds how long one call holds the server: a concurrent client
 * waits at most about that long (README, Benchmarks).
 *
 * The queue guard's rule runs in the script too: a key is deleted only if no base cut at a ':'
 * past the prefix has a `<base>:meta` or `<base>:id` (bases up to the prefix were checked
 * before the run). Keys it is unsure of are "held": handed back to us for the full check
 * (guard.ts), never deleted by the script. Each UNLINK goes through redis.pcall: when one
 * fails (UNLINK renamed or denied, READONLY, OOM...) the script returns the cursor of that
 * SCAN and what it deleted so far, and we go on without it from there: no count is lost.
 */
const source = `
if redis.replicate_commands then redis.replicate_commands() end
local find, sub, call, pcall, unpack, min = string.find, string.sub, redis.call, redis.pcall, unpack, math.min
local cursor, match, count, typ = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local from, budget, want, cmd = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
local bits, of, after = tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11]
local function scan_call(c, n)
  if typ == '' then return call('SCAN', c, 'MATCH', match, 'COUNT', n) end
  return call('SCAN', c, 'MATCH', match, 'COUNT', n, 'TYPE', typ)
end
${luaSegmentScan}
local t = call('TIME')
local stop = t[1] * 1000000 + t[2] + budget
local deleted, held, sample, seen = 0, {}, {}, {}
repeat
  local nxt, keys = segment_scan(cursor)
  local n = #keys
  for i = 1, min(n, want - #sample) do sample[#sample + 1] = keys[i] end
  -- del is the SCAN reply itself unless a key must be held back (then a copy without it)
  local del, hold = keys, nil
  if from > 0 then
    for i = 1, n do
      local k = keys[i]
      local unsure = false
      local at = find(k, ':', from, true)
      while at do
        local b = sub(k, 1, at - 1)
        local q = seen[b]
        if q == nil then
          q = call('EXISTS', b .. ':meta', b .. ':id') > 0
          seen[b] = q
        end
        if q then unsure = true break end
        at = find(k, ':', at + 1, true)
      end
      if unsure then
        if not hold then
          hold, del = {}, {}
          for j = 1, i - 1 do del[j] = keys[j] end
        end
        hold[#hold + 1] = k
      elseif hold then del[#del + 1] = k end
    end
  end
  for i = 1, #del, 1000 do
    local d = pcall(cmd, unpack(del, i, min(i + 999, #del)))
    if type(d) == 'table' then return {cursor, deleted, held, sample, d.err or 'ERR'} end
    deleted = deleted + d
  end
  if hold then for i = 1, #hold do held[#held + 1] = hold[i] end end
  cursor = nxt
  t = call('TIME')
until not inside(cursor) or t[1] * 1000000 + t[2] >= stop
return {cursor, deleted, held, sample, false}`;

export interface ScriptCall {
  cursor: string;
  match: Buffer;
  count: number;
  type?: string;
  /** 1-based byte position after the prefix where bases start; 0: no guard in the script. */
  guardFrom: number;
  budgetUs: number;
  sample: number;
  command: string;
  /** The part of the walk this call stays in (cursor-segments.ts); default: the whole walk. */
  segment?: Segment;
}

export interface ScriptStep {
  /** Where to go on from: '0' when the scan is complete (or outside the call's segment: it is). */
  cursor: string;
  deleted: number;
  /** Keys the script was unsure of (a base has :meta or :id): not deleted, for the caller to check. */
  held: Buffer[];
  sample: Buffer[];
  /** An UNLINK/DEL inside failed: the cursor is that SCAN's, to be scanned again without the script. */
  error: RespServerError | null;
}

/** One call; a RespServerError reply (EVAL denied, SCAN TYPE unknown...) is thrown: nothing ran. */
export async function runDeleteScript(pipe: RespPipe, call: ScriptCall): Promise<ScriptStep> {
  const [reply] = await pipe.send([
    [
      'EVAL',
      source,
      '0',
      call.cursor,
      call.match,
      String(call.count),
      call.type ?? '',
      String(call.guardFrom),
      String(call.budgetUs),
      String(call.sample),
      call.command,
      String(call.segment?.bits ?? 0),
      String(call.segment?.of ?? 1),
      call.segment ? nextStart(call.segment) : '0',
    ],
  ]);
  if (reply instanceof Error) throw reply;
  return checkStep(reply);
}

function checkStep(reply: Reply | undefined): ScriptStep {
  if (!Array.isArray(reply) || reply.length !== 5 || !(reply[0] instanceof Buffer))
    throw new Error('unexpected reply from the delete script');
  const [cursor, deleted, held, sample, error] = reply;
  const keys = (r: Reply | undefined): Buffer[] =>
    Array.isArray(r) ? r.filter((k): k is Buffer => k instanceof Buffer) : [];
  return {
    cursor: cursor.toString('latin1'),
    deleted: replyInteger(deleted ?? null, 'EVAL'),
    held: keys(held),
    sample: keys(sample),
    // Lua false is a nil reply; an error text is a bulk string.
    error: error instanceof Buffer ? new RespServerError(error.toString('utf8')) : null,
  };
}
