import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * `stats --keys` element counts (checked against redis-cli --bigkeys on the same data) and
 * `--hot` (checked against OBJECT FREQ by hand; refused with a hint where the policy is not LFU).
 */
let plain: RedisServer;
let lfu: RedisServer;

const counters = async (s: RedisServer): Promise<{ hits: number; misses: number }> => {
  const info = await s.client().info('stats');
  const field = (name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1]);
  return { hits: field('keyspace_hits'), misses: field('keyspace_misses') };
};

beforeAll(async () => {
  [plain, lfu] = await Promise.all([startRedis(), startRedis({ config: ['maxmemory-policy allkeys-lfu'] })]);
  const c = plain.client();
  // A hash of 100,000 fields, as in the issue; a list, a set, a zset and a stream beside strings.
  for (let i = 0; i < 100_000; i += 10_000) {
    const fields: string[] = [];
    for (let j = i; j < i + 10_000; j++) fields.push(`f${j}`, 'v');
    await c.hset('profile:big', ...fields);
  }
  const p = c.pipeline();
  for (let i = 0; i < 300; i++) p.rpush('queue:jobs', `j${i}`);
  for (let i = 0; i < 40; i++) p.sadd('tags:all', `t${i}`);
  for (let i = 0; i < 25; i++) p.zadd('rank:day', i, `m${i}`);
  for (let i = 0; i < 7; i++) p.xadd('events:log', '*', 'n', String(i));
  for (let i = 0; i < 50; i++) p.set(`cache:${i}`, 'v');
  for (let i = 0; i < 20; i++) p.hset(`profile:${i}`, 'a', '1', 'b', '2');
  await p.exec();
  const l = lfu.client();
  for (let i = 0; i < 30; i++) await l.set(`flag:${i}`, 'on');
  // One key read a lot, one a little: their LFU counters differ.
  for (let i = 0; i < 2000; i++) await l.get('flag:7');
  for (let i = 0; i < 20; i++) await l.get('flag:3');
}, 60_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), lfu?.stop()]);
});

describe('stats --keys: element counts', () => {
  it('agree with redis-cli --bigkeys on the biggest collection of each type', async () => {
    const { json, run } = await runJson(['stats', '--keys', '--url', plain.url]);
    expect(run.exitCode).toBe(0);
    const bigkeys = execFileSync('redis-cli', ['-p', String(plain.port), '--bigkeys'], { encoding: 'utf8' });
    // e.g. Biggest   hash found '"profile:big"' has 100000 fields
    const theirs = [...bigkeys.matchAll(/Biggest\s+(\w+) found '?"(.+?)"'? has (\d+) (\w+)/g)].map((m) => ({
      type: m[1],
      key: m[2],
      elements: Number(m[3]),
    }));
    const collections = theirs.filter((t) => t.type !== 'string');
    expect(collections.length).toBe(5);
    for (const t of collections) {
      const ours = json.mostElements.find((b: { key: string }) => b.key === t.key);
      expect(ours, t.key).toMatchObject({ type: t.type, elements: t.elements });
    }
    expect(json.mostElements[0]).toMatchObject({ key: 'profile:big', type: 'hash', elements: 100_000 });
    // Per namespace: the elements of its collections; strings add none.
    const ns = (p: string): { elements: number } =>
      json.namespaces.find((n: { prefix: string }) => n.prefix === p);
    expect(ns('profile:').elements).toBe(100_000 + 20 * 2);
    expect(ns('queue:').elements).toBe(300);
    expect(ns('cache:').elements).toBe(0);
    const big = json.biggest.find((b: { key: string }) => b.key === 'profile:big');
    expect(big.elements).toBe(100_000);
    expect(json.biggest.find((b: { type: string }) => b.type === 'string')?.elements ?? null).toBeNull();
    expect(json.hot).toBeNull();

    const text = await runCli(['stats', '--keys', '--url', plain.url]);
    expect(text.stdout).toMatch(/most elements/);
    expect(text.stdout).toMatch(/│ profile:big +│ hash +│ +100,000 fields │/);
  });

  it('reports exactly the lookups it added, element counts included', async () => {
    const before = await counters(plain);
    const { json } = await runJson(['stats', '--keys', '--url', plain.url]);
    const after = await counters(plain);
    // 50 strings + 25 collections (+ 20 small hashes): TYPE and PTTL each, one *LEN per collection.
    const keys = 50 + 20 + 5;
    expect(json.ownLookups).toEqual({ hits: keys * 2 + 25, misses: 0 });
    expect({ hits: after.hits - before.hits, misses: after.misses - before.misses }).toEqual(json.ownLookups);
  });
});

describe('stats --keys --hot', () => {
  it('ranks keys by OBJECT FREQ under an LFU policy, as OBJECT FREQ says by hand', async () => {
    const before = await counters(lfu);
    const { json, run } = await runJson(['stats', '--keys', '--hot', '--top', '3', '--url', lfu.url]);
    const after = await counters(lfu);
    expect(run.exitCode).toBe(0);
    expect(json.hot).toHaveLength(3);
    expect(json.hot[0].key).toBe('flag:7');
    expect(json.hot[1].key).toBe('flag:3');
    const c = lfu.client();
    // Our own reads (TYPE, PTTL, OBJECT FREQ) do not touch the counters they report.
    expect(json.hot[0].freq).toBe(Number(await c.object('FREQ', 'flag:7')));
    expect(json.hot[1].freq).toBe(Number(await c.object('FREQ', 'flag:3')));
    expect(json.hot[0].freq).toBeGreaterThan(json.hot[1].freq);
    // OBJECT FREQ is a lookup too: 3 per key, all counted.
    expect(json.ownLookups).toEqual({ hits: 90, misses: 0 });
    expect({ hits: after.hits - before.hits, misses: after.misses - before.misses }).toEqual(json.ownLookups);

    const text = await runCli(['stats', '--keys', '--hot', '--url', lfu.url]);
    expect(text.stdout).toMatch(/hottest keys/);
    expect(text.stdout).toMatch(/│ flag:7 +│ string │ +\d+ │/);
  });

  it('without an LFU policy: one line, a hint, exit 2, nothing scanned', async () => {
    const before = await counters(plain);
    const run = await runCli(['stats', '--keys', '--hot', '--url', plain.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^✖ --hot needs an LFU maxmemory-policy: 127\.0\.0\.1:\d+ uses noeviction, so OBJECT FREQ has no access counts\n {2}hint: set maxmemory-policy allkeys-lfu.+$/,
    );
    expect(await counters(plain)).toEqual(before);
    const stray = await runCli(['stats', '--hot', '--url', plain.url]);
    expect(stray.exitCode).toBe(2);
    expect(stray.stderr).toMatch(/--hot needs --keys/);
  });
});
