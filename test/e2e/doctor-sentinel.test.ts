import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import {
  sentinelLines,
  startSentinel,
  startSentinelTopology,
  type SentinelTopology,
} from '../helpers/sentinel.js';

// One topology for the file; the sentinels have their own password. The last tests kill
// sentinels one by one (one down, then the quorum lost), so order matters.
const DATA_PW = 'data-Secret-pw1';
const SENT_PW = 'sent-Secret-pw2';
let t: SentinelTopology;
const extras: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  t = await startSentinelTopology({ password: DATA_PW, sentinelPassword: SENT_PW });
});

afterAll(async () => {
  await Promise.all(extras.map((e) => e.stop()));
  await t?.stop();
});

type Check = { id: string; status: string; message: string; hint: string | null };
const byId = (checks: Check[], id: string): Check => {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${checks.map((x) => x.id).join(', ')}`);
  return c;
};

function noSecrets(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(DATA_PW);
    expect(text).not.toContain(SENT_PW);
  }
}

/**
 * A TCP proxy to the primary that only forwards sentinels' connections (they name themselves
 * `sentinel-<id>-cmd` in their first command) and resets everyone else's: the NAT trap, where
 * the sentinels reach an address that clients outside cannot.
 */
async function sentinelOnlyProxy(port: number): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('data', (first) => {
      if (!first.toString('latin1').includes('sentinel-')) return s.destroy();
      const up = createConnection({ host: '127.0.0.1', port });
      sockets.add(up);
      up.on('error', () => s.destroy());
      up.write(first);
      s.pipe(up).pipe(s);
    });
  });
  const listen = await freePort();
  await new Promise<void>((r) => srv.listen(listen, '127.0.0.1', () => r()));
  return {
    port: listen,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('doctor: sentinel ladder', () => {
  it('all healthy: every sentinel check passes, then the usual ladder runs against the primary', async () => {
    const { json, run } = await runJson(['doctor', '--url', t.url()]);
    expect(run.exitCode).toBe(0);
    for (const id of [
      'sentinel.reach',
      'sentinel.master',
      'sentinel.quorum',
      'sentinel.announce',
      'sentinel.replicas',
    ])
      expect(byId(json.checks, id).status).toBe('pass');
    expect(byId(json.checks, 'sentinel.quorum').message).toBe('quorum 2 of 3 sentinels, CKQUORUM OK');
    expect(byId(json.checks, 'sentinel.replicas').message).toMatch(/^2 replica\(s\) connected/);
    expect(byId(json.checks, 'conn.tcp').message).toContain(`127.0.0.1:${t.primary.port}`);
    expect(byId(json.checks, 'conn.auth').status).toBe('pass');
    expect(json.sentinel).toMatchObject({
      master: 'mymaster',
      primary: `127.0.0.1:${t.primary.port}`,
      quorum: 2,
    });
    expect(json.sentinel.sentinels).toEqual(
      t.sentinels.map((s) => ({
        address: `127.0.0.1:${s.port}`,
        ok: true,
        primary: `127.0.0.1:${t.primary.port}`,
        error: null,
      })),
    );
    expect(json.sentinel.replicas).toHaveLength(2);
    noSecrets(run.stdout, run.stderr);
    const text = await runCli(['doctor', '--url', t.url()]);
    expect(text.stdout).toContain(`sentinel: mymaster → primary 127.0.0.1:${t.primary.port}`);
    noSecrets(text.stdout, text.stderr);
  });

  it('a plain redis:// URL at a sentinel port: says so, lists its masters, prints the URL (exit 1)', async () => {
    const s = t.sentinels[0] as RedisServer;
    const run = await runCli(['doctor', '--url', `redis://:${SENT_PW}@127.0.0.1:${s.port}`]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('this is a Redis Sentinel, not a data node');
    expect(run.stdout).toContain(`"mymaster" at 127.0.0.1:${t.primary.port}`);
    expect(run.stdout).toContain(`redis+sentinel://127.0.0.1:${s.port}/mymaster?sentinelPassword=***`);
    expect(run.stdout).toMatch(/unhealthy/);
    noSecrets(run.stdout, run.stderr);
  });

  it('sentinel password missing (only the data one given): sentinel.reach says where it goes', async () => {
    const url = t.url().replace(/\?.*$/, '');
    const { json, run } = await runJson(['doctor', '--url', url]);
    expect(run.exitCode).toBe(1);
    const reach = byId(json.checks, 'sentinel.reach');
    expect(reach.status).toBe('fail');
    expect(reach.message).toMatch(/no sentinel answers: .*(NOAUTH|authenticat)/);
    expect(reach.hint).toContain('sentinelPassword');
    expect(byId(json.checks, 'conn.tcp').status).toBe('skip');
    noSecrets(run.stdout, run.stderr);
  });

  it('sentinels that disagree (two monitors with different addresses): split view, naming who says what', async () => {
    const other = await startRedis({ password: DATA_PW });
    extras.push(other);
    const odd = await startSentinel(
      sentinelLines('mymaster', '127.0.0.1', other.port, {
        quorum: 2,
        password: DATA_PW,
        sentinelPassword: SENT_PW,
      }),
      { sentinelPassword: SENT_PW },
    );
    extras.push(odd);
    const list = [...t.sentinels, odd].map((s) => `127.0.0.1:${s.port}`).join(',');
    const url = `redis+sentinel://:${DATA_PW}@${list}/mymaster?sentinelPassword=${SENT_PW}`;
    const { json, run } = await runJson(['doctor', '--url', url]);
    expect(run.exitCode).toBe(1);
    const master = byId(json.checks, 'sentinel.master');
    expect(master.status).toBe('fail');
    const three = t.sentinels.map((s) => `127.0.0.1:${s.port}`).join(', ');
    expect(master.message).toBe(
      `split view of "mymaster": ${three} say 127.0.0.1:${t.primary.port}; 127.0.0.1:${odd.port} says 127.0.0.1:${other.port}`,
    );
    expect(byId(json.checks, 'conn.tcp').status).toBe('skip');
    expect(json.sentinel.primary).toBeNull();
    await odd.stop();
  });

  it('the announced primary is not reachable from here (NAT trap): sentinel.announce fails with the announce hint', async () => {
    const proxy = await sentinelOnlyProxy(t.primary.port);
    extras.push(proxy);
    const s = await startSentinel(
      sentinelLines('natted', '127.0.0.1', proxy.port, { quorum: 1, password: DATA_PW }),
    );
    extras.push(s);
    // Wait until this sentinel has talked to the primary through the proxy.
    const c = s.client();
    await waitFor(
      async () => {
        const m = (await c.call('SENTINEL', 'MASTER', 'natted')) as string[];
        return m[m.indexOf('flags') + 1] === 'master' && Number(m[m.indexOf('num-slaves') + 1]) > 0;
      },
      10_000,
      'the natted sentinel to see the primary',
    );
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `redis+sentinel://:${DATA_PW}@127.0.0.1:${s.port}/natted`,
    ]);
    expect(run.exitCode).toBe(1);
    const announce = byId(json.checks, 'sentinel.announce');
    expect(announce.status).toBe('fail');
    expect(announce.message).toContain(
      `127.0.0.1:${proxy.port}, the primary the sentinels announce, is not reachable from here`,
    );
    expect(announce.message).toContain('the sentinels themselves reach it');
    expect(announce.hint).toContain('announce-ip');
    expect(announce.hint).toContain('resolve-hostnames');
    expect(byId(json.checks, 'sentinel.quorum').status).toBe('warn');
    expect(byId(json.checks, 'sentinel.quorum').message).toContain('only 1 sentinel');
    expect(byId(json.checks, 'conn.tcp').status).toBe('skip');
    await s.stop();
    await proxy.stop();
  });

  it('--wait: waits for a sentinel that is still starting, then runs the whole ladder', async () => {
    const port = await freePort();
    const url = `redis+sentinel://:${DATA_PW}@127.0.0.1:${port}/mymaster?sentinelPassword=${SENT_PW}`;
    const run = runJson(['doctor', '--url', url, '--wait', '20']);
    await new Promise((r) => setTimeout(r, 1500));
    const late = await startRedis({
      port,
      args: ['--sentinel'],
      password: SENT_PW,
      config: sentinelLines('mymaster', '127.0.0.1', t.primary.port, {
        quorum: 2,
        password: DATA_PW,
        sentinelPassword: SENT_PW,
      }),
    });
    extras.push(late);
    const { json, run: r } = await run;
    expect(r.stderr).toMatch(/waiting for the sentinels of mymaster: sentinel\.reach no sentinel answers/);
    expect(byId(json.checks, 'sentinel.reach').status).toBe('pass');
    expect(byId(json.checks, 'conn.ping').status).toBe('pass');
    noSecrets(r.stdout, r.stderr);
    await late.stop();
  });

  it('one sentinel down: sentinel.reach warns and names it; the rest still passes (exit 0)', async () => {
    const dead = t.sentinels[2] as RedisServer;
    await dead.stop();
    const { json, run } = await runJson(['doctor', '--url', t.url()]);
    const reach = byId(json.checks, 'sentinel.reach');
    expect(reach.status).toBe('warn');
    expect(reach.message).toMatch(
      new RegExp(`^2 of 3 sentinels answer; unreachable: 127\\.0\\.0\\.1:${dead.port}: .*ECONNREFUSED`),
    );
    expect(byId(json.checks, 'sentinel.master').status).toBe('pass');
    expect(byId(json.checks, 'conn.ping').status).toBe('pass');
    expect(run.exitCode).toBe(0);
  });

  it('quorum not reachable: with two of three sentinels gone CKQUORUM fails', async () => {
    const dead = t.sentinels[1] as RedisServer;
    await dead.stop();
    const last = t.sentinels[0] as RedisServer;
    const c = new Redis({ port: last.port, password: SENT_PW, lazyConnect: true });
    await c.connect();
    // The survivor marks the others s_down after down-after-milliseconds.
    await waitFor(
      async () => {
        try {
          await c.call('SENTINEL', 'CKQUORUM', 'mymaster');
          return false;
        } catch {
          return true;
        }
      },
      15_000,
      'CKQUORUM to fail',
    );
    c.disconnect();
    const { json, run } = await runJson(['doctor', '--url', t.url()]);
    expect(run.exitCode).toBe(1);
    const quorum = byId(json.checks, 'sentinel.quorum');
    expect(quorum.status).toBe('fail');
    expect(quorum.message).toMatch(/CKQUORUM fails on 127\.0\.0\.1:\d+: NOQUORUM/);
    expect(quorum.hint).toContain('majority');
  });
});
