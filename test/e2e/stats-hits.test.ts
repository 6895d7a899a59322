import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli, runJson } from '../helpers/cli.js';
import { seedTraffic, startTraffic } from '../helpers/hits-traffic.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

let srv: RedisServer;

beforeAll(async () => {
  srv = await startRedis({ config: ['notify-keyspace-events Kx'] });
  await seedTraffic(srv.client());
});

afterAll(async () => {
  await srv?.stop();
});

const notify = async (s: RedisServer): Promise<string> =>
  (await s.client().config('GET', 'notify-keyspace-events'))[1] ?? '?';

interface Ns {
  prefix: string;
  reads: number;
  hits: number | null;
  misses: number | null;
  hitRatio: number | null;
  writes: number;
  writesWithoutTtl: number;
  hotKeys: Array<{ key: string; reads: number }>;
  missedKeys: Array<{ key: string; misses: number }>;
}

export function byPrefix(namespaces: Ns[]): Record<string, Ns> {
  return Object.fromEntries(namespaces.map((n) => [n.prefix, n]));
}

describe('stats --hits on traffic of a known shape', () => {
  it('per-namespace hit ratios within 2 points of the truth; C and D flagged; the setting restored', async () => {
    const before = await notify(srv);
    const traffic = startTraffic(srv.client());
    const { json, run } = await runJson(['stats', '--url', srv.url, '--hits', '3', '--enable-keymiss']);
    await traffic.stop();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await notify(srv)).toBe(before);
    expect(Object.keys(json).sort()).toEqual(
      [
        'durationMs',
        'commandsSeen',
        'coverage',
        'globalHitRatio',
        'namespaces',
        'keymiss',
        'restored',
      ].sort(),
    );
    expect(json).toMatchObject({ keymiss: 'enabled-for-sample', restored: true });
    expect(json.durationMs).toBeGreaterThanOrEqual(2900);
    expect(json.coverage).toBeGreaterThan(0.97);
    const ns = byPrefix(json.namespaces);
    const a = ns['a:'] as Ns;
    const b = ns['b:'] as Ns;
    const c = ns['c:'] as Ns;
    const d = ns['d:'] as Ns;
    expect(a.reads).toBeGreaterThan(500);
    expect(Math.abs((a.hitRatio ?? 0) - 0.95)).toBeLessThan(0.02);
    expect(Math.abs((b.hitRatio ?? 0) - 0.5)).toBeLessThan(0.02);
    expect(a.hits! + a.misses!).toBe(a.reads);
    // A and B are written with EX: nothing flagged. C: every SET. D: the skipped EXPIREs (1 in 20).
    expect(a.writesWithoutTtl).toBe(0);
    expect(b.writesWithoutTtl).toBe(0);
    expect(c.writesWithoutTtl).toBeGreaterThan(c.writes * 0.98);
    const incrs = d.writes / 1.95;
    expect(d.writesWithoutTtl / incrs).toBeGreaterThan(0.04);
    expect(d.writesWithoutTtl / incrs).toBeLessThan(0.06);
    // Sorted by misses: B misses most.
    expect(json.namespaces[0].prefix).toBe('b:');
    expect(b.missedKeys[0]?.key).toMatch(/^b:miss:/);
    expect(a.hotKeys.length).toBeGreaterThan(0);
    // The global ratio (INFO) agrees with the sum over namespaces.
    const reads = json.namespaces.reduce((s: number, n: Ns) => s + n.reads, 0);
    const hits = json.namespaces.reduce((s: number, n: Ns) => s + (n.hits ?? 0), 0);
    expect(Math.abs(json.globalHitRatio - hits / reads)).toBeLessThan(0.02);
    expect(run.stderr).toMatch(/MONITOR costs the server/);
  });

  it('the table: a bar per namespace sorted by misses, a namespace under its gate marked, exit 1', async () => {
    const traffic = startTraffic(srv.client());
    const run = await runCli([
      'stats',
      '--url',
      srv.url,
      '--hits',
      '2',
      '--enable-keymiss',
      '--min-hit-ratio',
      'b:=0.9',
      '--min-hit-ratio',
      'a:=90%',
    ]);
    await traffic.stop();
    expect(run.exitCode, run.stderr).toBe(1);
    const rows = run.stdout.split('\n').filter((l) => /^│ [abcd]:/.test(l));
    expect(rows.map((r) => r.slice(2, 4)).slice(0, 2)).toEqual(['b:', 'a:']);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/█+░+ 5\d\.\d% ✖ under 90\.0%/);
    expect(rows[1]).not.toMatch(/under/);
    expect(run.stderr).toMatch(/hit ratio of b: is 5\d\.\d%, under 90\.0%/);
    expect(await notify(srv)).toBe('xK');
  });

  it('a global gate (bare number) passes; without --enable-keymiss and no terminal: reads and writes only, and why', async () => {
    const traffic = startTraffic(srv.client());
    const { json, run } = await runJson(['stats', '--url', srv.url, '--hits', '1', '--min-hit-ratio', '0.5']);
    await traffic.stop();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(json.keymiss).toBe('unavailable');
    expect(json.restored).toBe(true);
    expect(run.stderr).toMatch(
      /notify-keyspace-events is "xK" \(no key-miss events\); pass --enable-keymiss/,
    );
    const ns = byPrefix(json.namespaces);
    expect(ns['a:']?.hitRatio).toBeNull();
    expect(ns['a:']?.reads).toBeGreaterThan(0);
    expect(ns['c:']?.writesWithoutTtl).toBeGreaterThan(0);
    expect(json.globalHitRatio).toBeGreaterThan(0.6);
  });

  it('Ctrl-C mid-sample: reports what was seen, restores the exact setting, exit 130', async () => {
    const before = await notify(srv);
    const traffic = startTraffic(srv.client());
    const child = execa(binPath, ['stats', '--url', srv.url, '--hits', '60', '--enable-keymiss', '--json'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    const until = Date.now() + 15_000;
    while (!(await notify(srv)).includes('m') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 800));
    child.kill('SIGINT');
    const r = await child;
    await traffic.stop();
    expect(r.exitCode, r.stderr).toBe(130);
    expect(await notify(srv)).toBe(before);
    const json = JSON.parse(r.stdout);
    expect(json.restored).toBe(true);
    expect(json.commandsSeen).toBeGreaterThan(0);
    expect(json.durationMs).toBeLessThan(30_000);
  });

  it('a restore that fails prints the one CONFIG SET that restores it, exit 2', async () => {
    const admin = srv.client();
    const before = await notify(srv);
    // A user who may CONFIG SET when the sample starts and loses the right during it.
    await admin.call('ACL', 'SETUSER', 'hitsapp', 'on', '>hits-pw', '~*', '&*', '+@all');
    try {
      const child = execa(
        binPath,
        [
          'stats',
          '--url',
          `redis://hitsapp:hits-pw@127.0.0.1:${srv.port}`,
          '--hits',
          '3',
          '--enable-keymiss',
        ],
        {
          env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
        },
      );
      const until = Date.now() + 15_000;
      while (!(await notify(srv)).includes('m') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      await admin.call('ACL', 'SETUSER', 'hitsapp', '-config');
      const r = await child;
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/could not restore notify-keyspace-events; run:/);
      expect(r.stderr).toContain(`CONFIG SET notify-keyspace-events '${before}'`);
      expect(r.stderr).not.toContain('hits-pw');
    } finally {
      await admin.config('SET', 'notify-keyspace-events', before);
      await admin.call('ACL', 'DELUSER', 'hitsapp');
    }
  });

  it('a stalled reader stops at the buffer bound; the server frees it and keeps serving', async () => {
    const c = srv.client();
    const big = 'x'.repeat(4096);
    let stopped = false;
    const load = (async () => {
      while (!stopped)
        await Promise.all(Array.from({ length: 50 }, (_, i) => c.set(`big:${i}`, big, 'EX', 60)));
    })();
    const started = Date.now();
    const run = await runCli(['stats', '--url', srv.url, '--hits', '30', '--max-buffer', '2MiB', '--json'], {
      env: { REDIS_OPS_TEST_PAUSE_MONITOR: '1' },
    });
    const took = Date.now() - started;
    stopped = true;
    await load;
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /stopped early: our MONITOR output buffer on 127\.0\.0\.1:\d+ reached \d+ bytes \(bound 2097152\)/,
    );
    expect(took).toBeLessThan(25_000);
    const list = String(await c.call('CLIENT', 'LIST'));
    expect(list).not.toMatch(/name=redis-ops-monitor/);
    expect(await c.ping()).toBe('PONG');
    expect(JSON.parse(run.stdout).durationMs).toBeLessThan(25_000);
  });

  it('--max-ops stops after exactly n commands', async () => {
    const traffic = startTraffic(srv.client());
    const { json, run } = await runJson(['stats', '--url', srv.url, '--hits', '20', '--max-ops', '500']);
    await traffic.stop();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(json.commandsSeen).toBe(500);
    expect(json.durationMs).toBeLessThan(15_000);
    expect(run.stderr).toMatch(/stopped at --max-ops 500/);
  });

  it('on a replica: says MONITOR sees only the replication stream and points to the primary, exit 2', async () => {
    const replica = await startRedis({ config: [`replicaof 127.0.0.1 ${srv.port}`] });
    try {
      const run = await runCli(['stats', '--url', replica.url, '--hits', '1']);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/is a replica: MONITOR there sees only the replication stream/);
      expect(run.stderr).toMatch(new RegExp(`hint: sample the primary at 127\\.0\\.0\\.1:${srv.port}`));
    } finally {
      await replica.stop();
    }
  });

  it('where CONFIG is blocked: reads, writes, TTL hygiene and the global ratio only, and why', async () => {
    const blocked = await startRedis({ noConfig: true });
    try {
      const { json, run } = await runJson(['stats', '--url', blocked.url, '--hits', '1', '--enable-keymiss']);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(json.keymiss).toBe('unavailable');
      expect(run.stderr).toMatch(/CONFIG is blocked on this server/);
    } finally {
      await blocked.stop();
    }
  });

  it('bad input: one line and a hint, exit 2', async () => {
    for (const args of [
      ['--hits', '10m'],
      ['--hits', 'soon'],
      ['--hits', '5', '--min-hit-ratio', 'a:=2'],
      ['--max-ops', '5'],
      ['--hits', '5', '--keys'],
    ]) {
      const run = await runCli(['stats', '--url', srv.url, ...args]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/hint:/);
    }
  });
});

describe('stats --hits at a terminal', () => {
  it('asks before adding key-miss events; yes → per-namespace ratios, and the setting restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-tmux-'));
    const out = join(dir, 'out.txt');
    const session = `hits-${process.pid}-${Date.now()}`;
    const before = await notify(srv);
    const cmd = `env -i PATH="${process.env.PATH ?? ''}" NO_COLOR=1 ${binPath} stats --url ${srv.url} --hits 2 > ${out}; echo "EXIT:$?" >> ${out}`;
    await execa('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', cmd]);
    const traffic = startTraffic(srv.client());
    try {
      const screen = async (): Promise<string> =>
        (await execa('tmux', ['capture-pane', '-p', '-t', session], { reject: false })).stdout;
      let seen = '';
      for (let i = 0; i < 100 && !/Add them \(E, m\) for the sample/.test(seen); i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await screen();
      }
      expect(seen).toMatch(
        /notify-keyspace-events is "xK" \(no key-miss events\)\. Add them \(E, m\) for the sample and restore "xK" after\?/,
      );
      expect(await notify(srv)).toBe(before);
      await execa('tmux', ['send-keys', '-t', session, 'y', 'Enter']);
      for (let i = 0; i < 150 && !(existsSync(out) && readFileSync(out, 'utf8').includes('EXIT:')); i++)
        await new Promise((r) => setTimeout(r, 100));
      const text = readFileSync(out, 'utf8');
      expect(text).toMatch(/EXIT:0/);
      expect(text, text).toMatch(/│ b: +│ .* (4[89]|5[01])\.\d% +│/);
      expect(await notify(srv)).toBe(before);
    } finally {
      await traffic.stop();
      await execa('tmux', ['kill-session', '-t', session], { reject: false });
    }
  });
});
