import { execa } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { assertJsonShape } from '../helpers/json-shape.js';

let plain: RedisServer;
let noMemory: RedisServer;

beforeAll(async () => {
  [plain, noMemory] = await Promise.all([
    startRedis(),
    // MEMORY USAGE denied by ACL, as on providers that block it.
    startRedis({ acl: ['user app on >app-Secret-pw ~* &* +@all -memory', 'user default off'] }),
  ]);
});

afterAll(async () => {
  await Promise.all([plain, noMemory].map((s) => s?.stop()));
});

const infoNumber = (text: string, key: string): number =>
  Number(new RegExp(`^${key}:(\\d+)`, 'm').exec(text)?.[1]);

describe('stats: snapshot', () => {
  it('reports the hit ratio that INFO stats gives by hand', async () => {
    const c = plain.client();
    await c.set('hit:1', 'x');
    for (let i = 0; i < 7; i++) await c.get('hit:1');
    for (let i = 0; i < 3; i++) await c.get(`miss:${i}`);
    const { json, run } = await runJson(['stats', '--url', plain.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const info = await c.info('stats');
    const hits = infoNumber(info, 'keyspace_hits');
    const misses = infoNumber(info, 'keyspace_misses');
    expect(json.totals.hits).toBe(hits);
    expect(json.totals.misses).toBe(misses);
    expect(json.totals.hitRatio).toBe(Math.round((hits / (hits + misses)) * 10000) / 10000);
    expect(json.server).toMatchObject({
      engine: 'redis',
      mode: 'standalone',
      role: 'master',
      provider: 'local',
    });
    expect(json.nodes).toHaveLength(1);
    expect(json.nodes[0]).toMatchObject({
      address: `127.0.0.1:${plain.port}`,
      role: 'master',
      keys: json.totals.keys,
    });
    expect(json.failedNodes).toEqual([]);
  });

  it('prints the sections with human-sized numbers', async () => {
    const run = await runCli(['stats', '--url', plain.url]);
    expect(run.exitCode).toBe(0);
    for (const section of ['server', 'memory', 'cache', 'traffic', 'keyspace', 'persistence', 'replication'])
      expect(run.stdout).toMatch(new RegExp(`^${section} `, 'm'));
    expect(run.stdout).toMatch(/used [\d.]+ (KiB|MiB)/);
    expect(run.stdout).toMatch(/hit ratio [\d.]+%/);
  });

  it('bad flag values: one line with a hint, exit 2, nothing on stdout', async () => {
    for (const args of [
      ['--watch', 'abc'],
      ['--keys', '--depth', '0'],
      ['--count', '2'],
      ['--keys', '--top', 'x'],
    ]) {
      const run = await runCli(['stats', '--url', plain.url, ...args]);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^✖ .+\n {2}hint: .+$/);
    }
  });
});

describe('stats --watch', () => {
  it('--count 2 --json: NDJSON rows whose counters match the traffic made between them', async () => {
    const c = plain.client();
    await c.set('w:1', 'x');
    const proc = execa(
      'node',
      [binPath, 'stats', '--url', plain.url, '--watch', '1', '--count', '2', '--json'],
      {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
      },
    );
    let firstRow = false;
    const traffic = new Promise<void>((resolve) => {
      proc.stdout?.on('data', () => {
        if (firstRow) return;
        firstRow = true;
        // Between row 1 and row 2: 100 hits and 40 misses, 140 commands in all.
        const p = c.pipeline();
        for (let i = 0; i < 100; i++) p.get('w:1');
        for (let i = 0; i < 40; i++) p.get(`w:miss:${i}`);
        void p.exec().then(() => resolve());
      });
    });
    const r = await proc;
    await traffic;
    expect(r.exitCode).toBe(0);
    const rows = String(r.stdout)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const row of rows) assertJsonShape('WatchJson', row);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ hits: 100, misses: 40, hitRatio: 0.7143, commands: 140 });
    expect(rows[1].opsPerSec).toBeCloseTo(140 / rows[1].seconds, 1);
    expect(rows[0]).toMatchObject({ hits: 0, misses: 0, hitRatio: null, commands: 0 });
  });

  it('Ctrl-C ends cleanly with exit 0', async () => {
    const proc = execa('node', [binPath, 'stats', '--url', plain.url, '--watch', '0.2'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    await new Promise<void>((resolve) => {
      let seen = '';
      proc.stdout?.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.split('\n').length >= 3) resolve();
      });
    });
    proc.kill('SIGINT');
    const r = await proc;
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/^time\s+hit ratio\s+ops\/s/);
    expect(String(r.stderr)).toBe('');
  });
});

describe('stats --keys', () => {
  const odd = ['has space:1', 'it\'s "quoted":1', 'glob[*?]\\:1', 'plain'];
  beforeAll(async () => {
    const c = plain.client();
    const p = c.pipeline();
    for (let i = 0; i < 300; i++) {
      if (i < 100) p.set(`cache:page:${i}`, 'x'.repeat(20), 'EX', 600);
      else p.set(`cache:page:${i}`, 'x'.repeat(20));
    }
    for (let i = 0; i < 200; i++) p.hset(`session:${i}`, 'user', String(i));
    for (let i = 0; i < 50; i++) p.rpush(`queue:jobs:${i}`, 'a', 'b');
    for (const k of odd) p.set(k, 'v');
    p.set(Buffer.from([0xff, 0x00, 0x3a, 0x31]), 'binary');
    p.set(Buffer.from([0xff, 0x00, 0x3a, 0x32]), 'binary');
    await p.exec();
  });

  it('counts per prefix equal the generated data, binary and odd names escaped', async () => {
    const { json, run } = await runJson(['stats', '--url', plain.url, '--keys', '--top', '100']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const by = Object.fromEntries(json.namespaces.map((n: { prefix: string }) => [n.prefix, n]));
    expect(by['cache:']).toMatchObject({ keys: 300, noTtlKeys: 200, types: { string: 300 } });
    expect(by['session:']).toMatchObject({ keys: 200, noTtlKeys: 200, types: { hash: 200 } });
    expect(by['queue:']).toMatchObject({ keys: 50, types: { list: 50 } });
    expect(by['has space:']).toMatchObject({ keys: 1 });
    expect(by['it\'s "quoted":']).toMatchObject({ keys: 1 });
    expect(by['glob[*?]\\:']).toMatchObject({ keys: 1 });
    expect(by['\\xff\\x00:']).toMatchObject({ keys: 2, types: { string: 2 } });
    expect(by['cache:'].bytes).toBeGreaterThan(300 * 20);
    expect(json.estimated).toBe(false);
    expect(json.memoryKnown).toBe(true);
    const dbsize = await plain.client().dbsize();
    expect(json.scanned).toBe(dbsize);
    expect(json.namespaces.reduce((s: number, n: { keys: number }) => s + n.keys, 0)).toBe(dbsize);
    expect(json.biggest[0].bytes).toBeGreaterThanOrEqual(json.biggest[1].bytes);
  });

  it('--depth 2 and --match (glob characters as the user wrote them)', async () => {
    const { json } = await runJson([
      'stats',
      '--url',
      plain.url,
      '--keys',
      '--depth',
      '2',
      '--match',
      'cache:*',
    ]);
    expect(json.namespaces).toEqual([expect.objectContaining({ prefix: 'cache:page:', keys: 300 })]);
    const glob = await runJson(['stats', '--url', plain.url, '--keys', '--match', 'glob\\[\\*\\?\\]*']);
    expect(glob.json.namespaces.map((n: { prefix: string; keys: number }) => [n.prefix, n.keys])).toEqual([
      ['glob[*?]\\:', 1],
    ]);
  });

  it('--sample marks the figures as estimates scaled to DBSIZE', async () => {
    const { json, run } = await runJson(['stats', '--url', plain.url, '--keys', '--sample', '100']);
    expect(run.exitCode).toBe(0);
    expect(json.estimated).toBe(true);
    expect(json.scanned).toBe(100);
    const total = json.namespaces.reduce((s: number, n: { keys: number }) => s + n.keys, 0);
    const dbsize = await plain.client().dbsize();
    expect(Math.abs(total - dbsize)).toBeLessThanOrEqual(json.totalNamespaces);
    const text = await runCli(['stats', '--url', plain.url, '--keys', '--sample', '100']);
    expect(text.stdout).toMatch(/estimates scaled to DBSIZE/);
    expect(text.stdout).toMatch(/~\d/);
  });

  it('where MEMORY USAGE is blocked, counts still come and memory is unknown', async () => {
    const url = `redis://app:app-Secret-pw@127.0.0.1:${noMemory.port}`;
    const app = new Redis(url);
    for (let i = 0; i < 30; i++) await app.set(`m:${i}`, 'v');
    app.disconnect();
    const { json, run } = await runJson(['stats', '--url', url, '--keys']);
    expect(run.exitCode).toBe(0);
    expect(json.memoryKnown).toBe(false);
    expect(json.namespaces).toEqual([
      { prefix: 'm:', keys: 30, bytes: null, noTtlKeys: 30, types: { string: 30 }, elements: 0 },
    ]);
    expect(run.stdout).not.toContain('app-Secret-pw');
    const text = await runCli(['stats', '--url', url, '--keys']);
    expect(text.stdout).toMatch(/memory is unknown/);
  });
});
