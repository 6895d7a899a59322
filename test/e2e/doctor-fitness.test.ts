import { connect, type Socket } from 'node:net';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { type Check, byId } from '../helpers/doctor.js';

async function addJobs(server: RedisServer, name: string, n: number): Promise<void> {
  const q = new Queue(name, { connection: { host: '127.0.0.1', port: server.port } });
  for (let i = 0; i < n; i++) await q.add('job', { i });
  await q.close();
}

async function until(what: string, test: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const info = async (c: Redis, field: string): Promise<string | undefined> =>
  new RegExp(`^${field}:(.*)$`, 'm').exec(await c.info())?.[1]?.trim();

let lru: RedisServer; // allkeys-lru with BullMQ queues: wrong for queues
let noev: RedisServer; // noeviction + AOF with BullMQ queues: right for queues
let noConfig: RedisServer; // CONFIG renamed away, with a queue
let acl: RedisServer; // users without @scripting
let evicting: RedisServer; // a full cache that evicts
let oom: RedisServer; // noeviction and full: OOM errors
let misc: RedisServer; // bound to 0.0.0.0 without password, slow log, rejected clients, failed save
let replica: RedisServer; // replica of a port where nothing runs

beforeAll(async () => {
  const deadPort = await freePort();
  [lru, noev, noConfig, acl, evicting, oom, misc, replica] = await Promise.all([
    startRedis({ config: ['maxmemory 64mb', 'maxmemory-policy allkeys-lru'] }),
    startRedis({
      config: ['maxmemory 64mb', 'maxmemory-policy noeviction', 'appendonly yes', 'appendfsync everysec'],
    }),
    startRedis({ noConfig: true }),
    startRedis({
      acl: [
        'user default on nopass ~* &* +@all',
        'user app on >app-Secret-pw ~* &* +@all -@scripting',
        'user worker on >worker-Secret-pw ~* &* +@all -@scripting -@admin',
      ],
    }),
    startRedis({ config: ['maxmemory 3mb', 'maxmemory-policy allkeys-lru'] }),
    startRedis({ config: ['maxmemory 3mb', 'maxmemory-policy noeviction'] }),
    startRedis({ config: ['bind 0.0.0.0', 'maxclients 10', 'enable-protected-configs yes'] }),
    startRedis({ config: [`replicaof 127.0.0.1 ${deadPort}`] }),
  ]);
  await Promise.all([addJobs(lru, 'emails', 3), addJobs(noev, 'emails', 3), addJobs(noConfig, 'emails', 1)]);
  // Fill the small servers: one evicts, the other refuses writes with OOM.
  const value = 'x'.repeat(10_000);
  const ev = evicting.client();
  for (let i = 0; i < 500; i++) await ev.set(`cache:${i}`, value);
  const full = oom.client();
  await full.set('probe', '1');
  for (let i = 0; i < 1000; i++) {
    try {
      await full.set(`big:${i}`, value);
    } catch {
      break;
    }
  }
});

afterAll(async () => {
  await Promise.all([lru, noev, noConfig, acl, evicting, oom, misc, replica].map((s) => s?.stop()));
});

describe('doctor: workload fitness with real BullMQ queues', () => {
  it('infers queue use and fails allkeys-lru quoting BullMQ', async () => {
    const { json, run } = await runJson(['doctor', '--url', lru.url]);
    expect(run.exitCode).toBe(1);
    expect(json.use).toEqual({
      value: 'queue',
      source: 'inferred',
      reason: 'inferred queue: 1 BullMQ queue found: bull:emails (pass --use to override)',
    });
    const policy = byId(json.checks, 'mem.policy');
    expect(policy.status).toBe('fail');
    expect(policy.message).toContain('IMPORTANT! Eviction policy is allkeys-lru. It should be "noeviction"');
    expect(byId(json.checks, 'persist.queue').status).toBe('warn');
    expect(byId(json.checks, 'bullmq.version').status).toBe('pass');
    expect(byId(json.checks, 'bullmq.scripting').status).toBe('pass');
  });

  it('passes noeviction with AOF for queues', async () => {
    const { json, run } = await runJson(['doctor', '--url', noev.url]);
    expect(run.exitCode).toBe(0);
    expect(json.use.value).toBe('queue');
    expect(byId(json.checks, 'mem.policy')).toMatchObject({
      status: 'pass',
      message: 'maxmemory-policy is noeviction, as BullMQ requires',
    });
    expect(byId(json.checks, 'persist.queue')).toMatchObject({
      status: 'pass',
      message: 'AOF is on, appendfsync everysec',
    });
    expect(byId(json.checks, 'mem.usage').status).toBe('pass');
    expect(byId(json.checks, 'mem.maxmemory').status).toBe('pass');
  });

  it('--use cache turns the same servers around', async () => {
    const a = await runJson(['doctor', '--url', lru.url, '--use', 'cache']);
    expect(byId(a.json.checks, 'mem.policy')).toMatchObject({
      status: 'pass',
      message: 'maxmemory-policy is allkeys-lru, right for a cache',
    });
    expect(a.json.use).toEqual({ value: 'cache', source: 'flag', reason: '--use cache' });
    const b = await runJson(['doctor', '--url', noev.url, '--use', 'cache']);
    expect(byId(b.json.checks, 'mem.policy').status).toBe('warn');
    const both = await runJson(['doctor', '--url', noev.url, '--use', 'both']);
    expect(byId(both.json.checks, 'mem.policy').hint).toMatch(/two instances/);
  });

  it('CONFIG renamed away: settings come from INFO, CONFIG-only facts skip with the reason, nothing fails for it', async () => {
    const { json, run } = await runJson(['doctor', '--url', noConfig.url]);
    expect(run.exitCode).toBe(0);
    expect(byId(json.checks, 'mem.policy').status).toBe('pass');
    const auth = byId(json.checks, 'sec.auth');
    expect(auth.status).toBe('warn');
    expect(auth.message).toMatch(/CONFIG is blocked or renamed on this server/);
    expect(json.checks.filter((c: Check) => c.status === 'fail')).toEqual([]);
  });
});

describe('doctor: bullmq.scripting', () => {
  it('an ACL user without @scripting fails (ACL DRYRUN)', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `redis://app:app-Secret-pw@127.0.0.1:${acl.port}`,
      '--use',
      'queue',
    ]);
    expect(run.exitCode).toBe(1);
    const s = byId(json.checks, 'bullmq.scripting');
    expect(s.status).toBe('fail');
    expect(s.message).toBe(
      'user app may not run EVAL, EVALSHA (checked with ACL DRYRUN for user app): every BullMQ operation runs Lua',
    );
    expect(JSON.stringify(json)).not.toContain('app-Secret-pw');
  });

  it('a user that may not run ACL either is checked with a harmless EVAL', async () => {
    const { json } = await runJson([
      'doctor',
      '--url',
      `redis://worker:worker-Secret-pw@127.0.0.1:${acl.port}`,
      '--use',
      'queue',
    ]);
    expect(byId(json.checks, 'bullmq.scripting')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/checked with a read-only EVAL/),
    });
  });

  it('the default user with every command passes', async () => {
    const { json } = await runJson(['doctor', '--url', acl.url, '--use', 'queue']);
    expect(byId(json.checks, 'bullmq.scripting').status).toBe('pass');
  });
});

describe('doctor: memory pressure', () => {
  it('evictions are information for a cache and a failure for queues', async () => {
    const cache = await runJson(['doctor', '--url', evicting.url, '--use', 'cache']);
    const ev = byId(cache.json.checks, 'mem.evictions');
    expect(ev.status).toBe('pass');
    expect(ev.message).toMatch(
      /^[\d,]+ keys were evicted since the last restart \(normal for a full cache\)$/,
    );
    const q = await runJson(['doctor', '--url', evicting.url, '--use', 'queue']);
    expect(byId(q.json.checks, 'mem.evictions').status).toBe('fail');
  });

  it('OOM errors fail mem.oom, and a full server fails mem.usage', async () => {
    const { json, run } = await runJson(['doctor', '--url', oom.url, '--use', 'cache']);
    expect(run.exitCode).toBe(1);
    expect(byId(json.checks, 'mem.oom')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/refused with OOM/),
    });
    expect(['warn', 'fail']).toContain(byId(json.checks, 'mem.usage').status);
  });
});

describe('doctor: security, latency, clients, persistence, replication', () => {
  it('no password and bound to 0.0.0.0 fails sec.auth; a loopback-only server passes', async () => {
    const { json } = await runJson(['doctor', '--url', misc.url, '--use', 'cache']);
    expect(byId(json.checks, 'sec.auth')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/listens on 0\.0\.0\.0/),
    });
    const ok = await runJson(['doctor', '--url', lru.url]);
    expect(byId(ok.json.checks, 'sec.auth').status).toBe('pass');
  });

  it('slow log entries name the commands; rejected connections warn; a failed save fails persist.status', async () => {
    const admin = misc.client();
    await admin.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await admin.hset('h', 'a', '1');
    await admin.hgetall('h');
    await admin.call('CONFIG', 'SET', 'slowlog-log-slower-than', '1000000');
    // More sockets than maxclients: the extra ones are refused.
    const sockets: Socket[] = [];
    for (let i = 0; i < 14; i++) {
      const s = connect({ host: '127.0.0.1', port: misc.port });
      s.on('error', () => undefined);
      sockets.push(s);
    }
    await until('rejected connections', async () => Number(await info(admin, 'rejected_connections')) > 0);
    for (const s of sockets) s.destroy();
    await until('clients to leave', async () => Number(await info(admin, 'connected_clients')) <= 1);
    // A save into a directory that no longer exists fails.
    const gone = join(misc.dir, 'gone');
    mkdirSync(gone);
    await admin.call('CONFIG', 'SET', 'dir', gone);
    rmSync(gone, { recursive: true });
    await admin.bgsave().catch(() => undefined);
    await until('the save to fail', async () => (await info(admin, 'rdb_last_bgsave_status')) === 'err');

    const { json, run } = await runJson(['doctor', '--url', misc.url, '--use', 'cache']);
    expect(run.exitCode).toBe(1);
    const slow = byId(json.checks, 'latency.slowlog');
    expect(slow.status).toBe('warn');
    expect(slow.message).toMatch(/slow log entries slower than 1000000 µs .*CONFIG ×\d+/);
    expect(slow.message).toMatch(/HGETALL ×1/);
    expect(byId(json.checks, 'clients.rejected')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/connection\(s\) were rejected/),
    });
    expect(byId(json.checks, 'clients.headroom').status).toBe('pass');
    expect(byId(json.checks, 'persist.status')).toMatchObject({
      status: 'fail',
      message: 'persistence is failing: rdb_last_bgsave_status:err',
    });
    expect(byId(json.checks, 'latency.slowlog').status).toBe('warn');
  });

  it('a replica whose primary is down fails repl.link; a primary without replicas skips it', async () => {
    const { json } = await runJson(['doctor', '--url', replica.url, '--use', 'cache']);
    expect(byId(json.checks, 'repl.link')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/link to the primary 127\.0\.0\.1:\d+ is down/),
    });
    const primary = await runJson(['doctor', '--url', noev.url]);
    expect(byId(primary.json.checks, 'repl.link').status).toBe('skip');
  });

  it('a replica linked to its primary passes repl.link', async () => {
    const admin = replica.client();
    await admin.call('REPLICAOF', '127.0.0.1', String(noev.port));
    await until('the replica link', async () => (await info(admin, 'master_link_status')) === 'up');
    const { json } = await runJson(['doctor', '--url', replica.url, '--use', 'cache']);
    expect(byId(json.checks, 'repl.link')).toMatchObject({
      status: 'pass',
      message: `replica, link to 127.0.0.1:${noev.port} up`,
    });
    const primary = await runJson(['doctor', '--url', noev.url]);
    expect(byId(primary.json.checks, 'repl.link')).toMatchObject({
      status: 'pass',
      message: '1 replica(s) online',
    });
  });
});
