import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Which reads count as keyspace lookups (INFO stats keyspace_hits/misses), measured on the real
 * server, and `stats --keys` reporting exactly the lookups it added, so a hit ratio read
 * afterwards can be corrected (README, "stats --keys and the hit counters").
 */
let server: RedisServer;
let c: Redis;

const counters = async (): Promise<{ hits: number; misses: number }> => {
  const info = await c.info('stats');
  const field = (name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1]);
  return { hits: field('keyspace_hits'), misses: field('keyspace_misses') };
};

beforeAll(async () => {
  server = await startRedis();
  c = server.client();
  const p = c.pipeline();
  for (let i = 0; i < 600; i++) p.set(`cache:${i}`, 'v');
  for (let i = 0; i < 300; i++) p.set(`session:${i}`, 'v', 'EX', 3600);
  for (let i = 0; i < 100; i++) p.hset(`user:${i}`, 'a', '1');
  await p.exec();
});
afterAll(async () => {
  await server?.stop();
});

describe('keyspace lookups', () => {
  it.each([
    [['TYPE', 'cache:1'], 1],
    [['PTTL', 'cache:1'], 1],
    [['OBJECT', 'ENCODING', 'cache:1'], 1],
    [['EXISTS', 'cache:1'], 1],
    [['HLEN', 'user:1'], 1],
    [['OBJECT', 'FREQ', 'cache:1'], 1],
    [['LLEN', 'user:1'], 1],
    [['MEMORY', 'USAGE', 'cache:1'], 0],
    [['SCAN', '0', 'COUNT', '10'], 0],
    [['DBSIZE'], 0],
  ] as const)('%j counts %d lookup(s) (measured)', async (cmd, n) => {
    const before = await counters();
    await c.call(cmd[0], ...cmd.slice(1)).catch(() => undefined);
    const after = await counters();
    expect(after.hits + after.misses - before.hits - before.misses).toBe(n);
  });

  it('SCAN ... TYPE counts a lookup per key it looks at', async () => {
    const before = await counters();
    await c.call('SCAN', '0', 'COUNT', '50', 'TYPE', 'hash');
    const after = await counters();
    expect(after.hits - before.hits).toBeGreaterThan(0);
  });

  it('stats --keys reports exactly the hits and misses it added', async () => {
    const before = await counters();
    const { json, run } = await runJson(['stats', '--keys', '--url', server.url]);
    const after = await counters();
    expect(run.exitCode).toBe(0);
    // TYPE + PTTL per key, HLEN per hash.
    expect(json.ownLookups).toEqual({ hits: 2100, misses: 0 });
    expect({ hits: after.hits - before.hits, misses: after.misses - before.misses }).toEqual(json.ownLookups);
  });

  it.each([
    [['stats']],
    [['stats', '--section', 'commands,errors,clients']],
    [['stats', '--watch', '0.2', '--count', '2']],
  ])('%j adds no keyspace lookups (INFO and CLIENT LIST only)', async (args) => {
    const before = await counters();
    const run = await runCli([...args, '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(await counters()).toEqual(before);
  });
});
