#!/usr/bin/env node
// The flush peers, each as its own process (like redis-ops, so startup counts the same):
//   node bench/peers/flush.mjs <mode> <port> <match>
// mode: loop (ioredis SCAN + UNLINK, awaited), pipelined (UNLINK not awaited, sent while the
// next SCAN runs), eval (SCAN + UNLINK inside one Lua script per call). Prints the count deleted.
import { Redis } from 'ioredis';

const [mode, port, match] = process.argv.slice(2);
const r = new Redis({ port: Number(port), host: '127.0.0.1' });
const count = 1000;
let deleted = 0;
let cursor = '0';

const script = `
local r = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
local n = 0
if #r[2] > 0 then n = redis.call('UNLINK', unpack(r[2])) end
return {r[1], n}`;

if (mode === 'loop') {
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', match, 'COUNT', count);
    cursor = next;
    if (keys.length) deleted += await r.unlink(...keys);
  } while (cursor !== '0');
} else if (mode === 'pipelined') {
  const pending = [];
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', match, 'COUNT', count);
    cursor = next;
    if (keys.length) pending.push(r.unlink(...keys).then((n) => (deleted += n)));
  } while (cursor !== '0');
  await Promise.all(pending);
} else if (mode === 'eval') {
  const sha = await r.script('LOAD', script);
  do {
    const [next, n] = await r.evalsha(sha, 0, cursor, match, count);
    cursor = String(next);
    deleted += Number(n);
  } while (cursor !== '0');
} else {
  throw new Error(`unknown mode ${mode}`);
}
r.disconnect();
console.log(deleted);
