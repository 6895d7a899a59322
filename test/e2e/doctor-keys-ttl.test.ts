import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { byId, type Check } from '../helpers/doctor.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

let srv: RedisServer;

beforeAll(async () => {
  srv = await startRedis();
  const c = srv.client();
  const p = c.pipeline();
  // A rate limiter that lost 5% of its EXPIREs, a cache written without TTLs, sessions with TTLs.
  for (let i = 0; i < 200; i++) {
    p.incr(`rl:${i}`);
    if (i % 20 !== 7) p.expire(`rl:${i}`, 600);
  }
  for (let i = 0; i < 100; i++) p.set(`page:${i}`, 'v');
  for (let i = 0; i < 100; i++) p.set(`sess:${i}`, 'v', 'EX', 600);
  await p.exec();
});

afterAll(async () => {
  await srv?.stop();
});

const num = (text: string, re: RegExp): number => Number(re.exec(text)?.[1] ?? 0);

describe('doctor keys.ttl', () => {
  it('names the namespace that lost EXPIREs with its share, and the cache namespace without TTLs', async () => {
    const { json } = await runJson(['doctor', '--url', srv.url, '--use', 'cache']);
    const check = byId(json.checks as Check[], 'keys.ttl');
    expect(check.status).toBe('warn');
    expect(check.message).toBe(
      "rl: has 5% of its keys without a TTL (10 of 200 sampled); no key has a TTL in page: (100 sampled) (doctor's 400 PTTLs count as keyspace lookups; its verdicts read INFO before them)",
    );
  });

  it("the gate judges the hit ratio from before doctor's own lookups, and the count it reports is the server's", async () => {
    const c = srv.client();
    await c.config('RESETSTAT');
    await c.get('sess:1');
    await c.get('missing');
    const { json } = await runJson(['doctor', '--url', srv.url, '--use', 'cache', '--min-hit-ratio', '0.1']);
    // The server saw 1 hit and 1 miss before doctor; doctor's PTTLs came after its INFO.
    expect(byId(json.checks as Check[], 'gate.minHitRatio').message).toMatch(
      /^hit ratio 0\.500 \(1 hits, 1 misses\)/,
    );
    const stats = await c.info('stats');
    const own = num(byId(json.checks as Check[], 'keys.ttl').message, /doctor's (\d+) PTTLs/);
    expect(own).toBe(400);
    expect(num(stats, /keyspace_hits:(\d+)/) + num(stats, /keyspace_misses:(\d+)/) - 2).toBe(own);
  });

  it('INFO keyspace decides without a single key read when every key has a TTL, or none', async () => {
    const other = await startRedis();
    try {
      const c = other.client();
      const p = c.pipeline();
      for (let i = 0; i < 300; i++) p.set(`sess:${i}`, 'v', 'EX', 600);
      await p.exec();
      await c.config('RESETSTAT');
      const all = await runJson(['doctor', '--url', other.url, '--use', 'cache']);
      expect(byId(all.json.checks as Check[], 'keys.ttl')).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(
          /^every key has a TTL: 300 keys, average TTL \d+ s \(INFO keyspace; no key read\)$/,
        ),
      });
      for (let i = 0; i < 300; i++) await c.persist(`sess:${i}`);
      const none = await runJson(['doctor', '--url', other.url, '--use', 'cache']);
      expect(byId(none.json.checks as Check[], 'keys.ttl')).toMatchObject({
        status: 'warn',
        message: 'no key has a TTL: 0 of 300 keys expire (INFO keyspace; no key read)',
      });
      const stats = await c.info('all');
      expect(num(stats, /cmdstat_pttl:calls=(\d+)/)).toBe(0);
      // PERSIST is a write (no lookup counted): every hit or miss would be doctor's.
      expect([num(stats, /keyspace_hits:(\d+)/), num(stats, /keyspace_misses:(\d+)/)]).toEqual([0, 0]);
    } finally {
      await other.stop();
    }
  });

  it('samples a bounded number of keys: no full SCAN on a bigger keyspace', async () => {
    const c = srv.client();
    for (let i = 0; i < 20_000; i += 1000) {
      const p = c.pipeline();
      for (let j = i; j < i + 1000; j++) p.set(`bulk:${j}`, 'v', 'EX', 600);
      await p.exec();
    }
    await c.config('RESETSTAT');
    const { json } = await runJson(['doctor', '--url', srv.url, '--use', 'cache']);
    expect(byId(json.checks as Check[], 'keys.ttl').status).not.toBe('skip');
    const stats = await c.info('commandstats');
    expect(num(stats, /cmdstat_pttl:calls=(\d+)/)).toBeLessThanOrEqual(1000);
    expect(num(stats, /cmdstat_scan:calls=(\d+)/)).toBeLessThanOrEqual(6);
  });
});
