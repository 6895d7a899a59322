import { createHash } from 'node:crypto';
import type { Connection } from '../redis/connect.js';
import { readReadable, type QueueState } from './counts.js';
import type { DiscoveredQueue } from './discover.js';
import { queueKey } from './keys.js';
import { firstError, pipelinePerItem, replyArray, type Cmd, type PipelineReply } from './pipeline.js';
import { scalarText } from '../text.js';

/**
 * Where EVAL is allowed, one read-only script per queue (all pipelined) replaces a dozen
 * commands per queue: the same counts as counts.ts (LLEN/ZCARD/HEXISTS, a legacy "0:" marker
 * subtracted, not popped), plus the moment the longest-waiting job became ready, over every
 * kind of waiting job (BullMQ's src/commands/addStandardJob-*.lua, addPrioritizedJob, addDelayedJob):
 *  - wait: FIFO jobs are LPUSHed, LIFO jobs RPUSHed, so the list is [FIFO newest..oldest |
 *    LIFO oldest..newest] and the oldest sits at the boundary: when the tail job is LIFO, a
 *    binary search (≤ 24 LINDEX probes) finds it;
 *  - prioritized: the score is priority·2³² + a counter, so the first member of each priority
 *    level is that level's oldest (≤ 64 levels read);
 *  - delayed jobs whose run time has passed (a worker has not promoted them yet): ready at
 *    their run time (score / 4096);
 *  - a job's hash says created (+ delay), or processedOn for a retried attempt; promotion and
 *    retryJobs leave no trace there (delay is reset to 0), so the latest `waiting` event of the
 *    candidate that came back to wait (it has a `prev` state) in the events stream (at most
 *    5,000 entries newer than the estimate) moves its ready time forward. The stream is read
 *    only when a candidate may have come back (attempts made, or a delay in its opts).
 * It writes nothing. It declares the meta key and names the others from the base (as BullMQ names
 * job keys), so it runs on a cluster where the queue is hash-tagged (every key in one slot).
 */
const script = `
local prefix, now = ARGV[1], tonumber(ARGV[2])
local function k(suffix) return prefix .. suffix end
local function isMarker(id) return id == nil or string.sub(id, 1, 2) == '0:' end
-- A job that may have come back to wait: retried (attempts made) or delayed first (opts.delay).
local mayReturn = false
local optsOf = {}
local function estimate(id)
  local v = redis.call('HMGET', prefix .. id, 'timestamp', 'delay', 'processedOn', 'atm', 'opts')
  optsOf[id] = v[5] or false
  local ts = tonumber(v[1])
  if not ts then return nil end
  if (tonumber(v[4]) or 0) > 0 or (v[5] and string.find(v[5], '"delay":%s*[1-9]')) then mayReturn = true end
  local p = tonumber(v[3])
  if p and p > ts then ts = p end
  local d = tonumber(v[2]) or 0
  if d < 0 then d = 0 end
  return ts + d
end
local function isLifo(id)
  local o = optsOf[id]
  if o == nil then o = redis.call('HGET', prefix .. id, 'opts') or false end
  return o and string.find(o, '"lifo":true', 1, true) ~= nil
end
local cands = {}
local function add(id)
  if not isMarker(id) and cands[id] == nil then cands[id] = estimate(id) or false end
end
-- A wait list's count (a trailing legacy marker not counted) and its oldest job: the tail,
-- or, when the tail job is LIFO, the boundary between the FIFO and the LIFO part.
local function readList(key)
  local n = redis.call('LLEN', key)
  if n == 0 then return 0 end
  local tail = redis.call('LRANGE', key, -2, -1)
  local last, hi, count = tail[#tail], n - 1, n
  if isMarker(last) then
    count, hi = n - 1, n - 2
    last = #tail > 1 and tail[1] or nil
  end
  if last == nil or isMarker(last) then return count end
  add(last)
  if not isLifo(last) then return count end
  -- Find the first LIFO job from the left: lo is FIFO (or -1), hi is LIFO.
  local lo, probes = -1, 0
  while hi - lo > 1 and probes < 24 do
    local mid = math.floor((lo + hi) / 2)
    local id = redis.call('LINDEX', key, mid)
    if not isMarker(id) and isLifo(id) then hi = mid else lo = mid end
    probes = probes + 1
  end
  add(redis.call('LINDEX', key, hi))
  if lo >= 0 then add(redis.call('LINDEX', key, lo)) end
  return count
end
local waiting = readList(k('wait')) + readList(k('paused'))
local delayed, prioritized = redis.call('ZCARD', k('delayed')), redis.call('ZCARD', k('prioritized'))
local level = 0
-- No more levels than members: one member, one lookup.
for _ = 1, math.min(64, prioritized) do
  local r = redis.call('ZRANGEBYSCORE', k('prioritized'), level * 4294967296, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #r == 0 then break end
  add(r[1])
  level = math.floor(tonumber(r[2]) / 4294967296) + 1
end
-- Correct estimates with the candidates' latest 'waiting' events.
local since = nil
for _, t in pairs(cands) do if t and (not since or t < since) then since = t end end
if since and mayReturn then
  local entries = redis.call('XREVRANGE', k('events'), '+', tostring(math.floor(since) + 1), 'COUNT', 5000)
  for _, e in ipairs(entries) do
    local f = e[2]
    local event, job, prev = nil, nil, nil
    for i = 1, #f, 2 do
      if f[i] == 'event' then event = f[i + 1] elseif f[i] == 'jobId' then job = f[i + 1]
      elseif f[i] == 'prev' then prev = f[i + 1] end
    end
    -- Only a move back to wait (prev = delayed, failed, completed, active) re-starts the wait.
    if event == 'waiting' and prev and job and cands[job] then
      local ms = tonumber(string.match(e[1], '^(%d+)'))
      if ms and ms > cands[job] then cands[job] = ms end
    end
  end
end
local oldest = nil
for _, t in pairs(cands) do if t and (not oldest or t < oldest) then oldest = t end end
if delayed > 0 then
  local due = redis.call('ZRANGEBYSCORE', k('delayed'), 0, (now + 1) * 4096 - 1, 'WITHSCORES', 'LIMIT', 0, 1)
  if #due > 0 then
    local at = math.floor(tonumber(due[2]) / 4096)
    if not oldest or at < oldest then oldest = at end
  end
end
return { waiting, redis.call('LLEN', k('active')), delayed, prioritized, redis.call('ZCARD', k('waiting-children')),
  redis.call('ZCARD', k('completed')), redis.call('ZCARD', k('failed')), redis.call('HEXISTS', KEYS[1], 'paused'),
  redis.call('EXISTS', k('stalled-check')), oldest and tostring(oldest) or false }
`;

// The script declares the meta key only and names the others from the base, as BullMQ's own
// scripts name job keys: every key of a hash-tagged queue is in that key's slot. One key
// instead of eleven per queue cut what `queues` encodes and the server parses by two thirds.
const sha = createHash('sha1').update(script).digest('hex');

export async function readQueueStatesLua(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<QueueState[]> {
  return readReadable(conn, queues, (readable) => readStatesLua(conn, readable, timeoutMs, now));
}

const isNoScript = (r: PipelineReply[]): boolean => /^NOSCRIPT/.test(firstError(r)?.message ?? '');

async function readStatesLua(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
  now: () => number,
): Promise<QueueState[]> {
  const t0 = now();
  const call = (q: DiscoveredQueue, full: boolean): Cmd => [
    full ? 'EVAL' : 'EVALSHA',
    full ? script : sha,
    1,
    queueKey(q.base, 'meta'),
    `${q.base}:`,
    Math.floor(t0),
  ];
  // The first queue of each node sends the script itself (EVAL caches it, and writes no key),
  // the rest its SHA1, in order on the same connection; a NOSCRIPT (the cache flushed, a
  // reshard) is sent again in full.
  const seen = new Set<number>();
  const replies = await pipelinePerItem(
    conn,
    queues,
    (c, q) => {
      c.push(call(q, !seen.has(q.node)));
      seen.add(q.node);
    },
    timeoutMs,
  );
  const again = queues.filter((_, i) => isNoScript(replies[i] ?? []));
  if (again.length > 0) {
    const retried = await pipelinePerItem(conn, again, (c, q) => c.push(call(q, true)), timeoutMs);
    let at = 0;
    replies.forEach((r, i) => {
      if (isNoScript(r)) replies[i] = retried[at++] ?? r;
    });
  }
  return replies.map((r) => parseReply(r, t0));
}

function parseReply(r: PipelineReply[], t: number): QueueState {
  const err = firstError(r);
  const v = replyArray(r[0]).map((x) => (x === null || x === undefined ? null : Number(scalarText(x))));
  if (err || v.length < 10)
    return {
      counts: null,
      paused: false,
      oldestWaitingAgeMs: null,
      stalledCheck: false,
      error: err?.message ?? 'unexpected reply',
    };
  const n = (i: number): number => v[i] ?? 0;
  const oldest = v[9] ?? null;
  return {
    counts: {
      waiting: n(0),
      active: n(1),
      delayed: n(2),
      prioritized: n(3),
      'waiting-children': n(4),
      completed: n(5),
      failed: n(6),
    },
    paused: n(7) === 1,
    stalledCheck: n(8) > 0,
    oldestWaitingAgeMs: oldest === null || !Number.isFinite(oldest) ? null : Math.max(t - oldest, 0),
    error: null,
  };
}
