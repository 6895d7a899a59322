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
      'rl: has 5% of its keys without a TTL (10 of 200 sampled); no key has a TTL in page: (100 sampled)',
    );
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
