import type { ChainableCommander } from 'ioredis';
import type { Connection } from '../redis/connect.js';
import type { QueueState } from './counts.js';
import type { DiscoveredQueue } from './discover.js';
import { queueKey, type QueueKeySuffix } from './keys.js';
import { firstError, pipelinePerItem, replyArray } from './pipeline.js';

/**
 * Where EVAL is allowed, one read-only script per queue (all pipelined) replaces a dozen
 * commands per queue: the same reads as counts.ts (LLEN/ZCARD/HEXISTS, a legacy "0:" marker
 * subtracted, not popped), with the oldest waiting job's timestamp read in the same call.
 * It writes nothing. Its keys are declared, so it runs on a cluster (queues are hash-tagged).
 */
const script = `
local function listInfo(key)
  local n = redis.call('LLEN', key)
  if n == 0 then return 0, nil end
  local tail = redis.call('LRANGE', key, -2, -1)
  local last = tail[#tail]
  if string.sub(last, 1, 2) == '0:' then
    if #tail > 1 then return n - 1, tail[1] end
    return 0, nil
  end
  return n, last
end
local function readyAt(id)
  if not id then return nil end
  local v = redis.call('HMGET', ARGV[1] .. id, 'timestamp', 'delay')
  local ts = tonumber(v[1])
  if not ts then return nil end
  local d = tonumber(v[2]) or 0
  if d < 0 then d = 0 end
  return ts + d
end
local wn, wid = listInfo(KEYS[1])
local pn, pid = listInfo(KEYS[2])
local oldest = readyAt(wid)
local p = readyAt(pid)
if p and (not oldest or p < oldest) then oldest = p end
return { wn + pn, redis.call('LLEN', KEYS[3]), redis.call('ZCARD', KEYS[4]), redis.call('ZCARD', KEYS[5]),
  redis.call('ZCARD', KEYS[6]), redis.call('ZCARD', KEYS[7]), redis.call('ZCARD', KEYS[8]),
  redis.call('HEXISTS', KEYS[9], 'paused'), redis.call('EXISTS', KEYS[10]), oldest and tostring(oldest) or false }
`;

const keySuffixes: QueueKeySuffix[] = [
  'wait',
  'paused',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
  'meta',
  'stalled-check',
];

type WithScript = ChainableCommander & { redisOpsQueueState(...args: string[]): ChainableCommander };

export async function readQueueStatesLua(
  conn: Connection,
  queues: DiscoveredQueue[],
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<QueueState[]> {
  // defineCommand makes ioredis send EVALSHA and load the script once (SCRIPT LOAD writes no key).
  if (!('redisOpsQueueState' in conn.client))
    conn.client.defineCommand('redisOpsQueueState', { numberOfKeys: keySuffixes.length, lua: script });
  const replies = await pipelinePerItem(
    conn,
    queues,
    (p, q) => {
      (p as WithScript).redisOpsQueueState(...keySuffixes.map((s) => queueKey(q.base, s)), `${q.base}:`);
    },
    timeoutMs,
  );
  const t = now();
  return replies.map((r): QueueState => {
    const err = firstError(r);
    const v = replyArray(r[0]).map((x) => (x === null || x === undefined ? null : Number(x)));
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
      oldestWaitingAgeMs: oldest === null ? null : Math.max(t - oldest, 0),
      error: null,
    };
  });
}
