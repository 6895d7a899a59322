import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { byId } from '../helpers/doctor.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The verdicts of issue 11 that decide whether doctor can be trusted, each against a real
 * redis-server set up the way production has it: who may get in (nopass), can the app write
 * (replica, min-replicas-to-write, Sentinel), which database it really uses (SELECT).
 */

// A non-loopback address of this machine: a server bound to it is reachable from the network.
const PUBLIC = '192.0.2.2';

let open: RedisServer; // no password, bound to a non-loopback address too
let protectedDefault: RedisServer; // requirepass, plus a second nopass user
let appNopass: RedisServer; // the app's own user is nopass
let primary: RedisServer;
let replica: RedisServer;
let writableReplica: RedisServer;
let minReplicas: RedisServer;
let sentinel: RedisServer;
let cluster: TestCluster;

beforeAll(async () => {
  [open, protectedDefault, appNopass, primary, minReplicas, cluster] = await Promise.all([
    startRedis({ config: [`bind 127.0.0.1 ${PUBLIC}`] }),
    startRedis({
      password: 'def-Secret-pw',
      acl: ['user reporting on nopass ~report:* +@read', 'user retired off nopass ~* +@all'],
    }),
    startRedis({ acl: ['user app on nopass ~* &* +@all', 'user default off'] }),
    startRedis(),
    startRedis({ config: ['min-replicas-to-write 1', 'min-replicas-max-lag 10'] }),
    startCluster(),
  ]);
  [replica, writableReplica, sentinel] = await Promise.all([
    startRedis({ config: [`replicaof 127.0.0.1 ${primary.port}`] }),
    startRedis({ config: [`replicaof 127.0.0.1 ${primary.port}`, 'replica-read-only no'] }),
    startRedis({
      config: [
        `sentinel monitor mymaster 127.0.0.1 ${primary.port} 1`,
        'sentinel down-after-milliseconds mymaster 5000',
      ],
      args: ['--sentinel'],
    }),
  ]);
  await waitFor(
    async () => (await replica.client().info('replication')).includes('master_link_status:up'),
    15_000,
    'replica link',
  );
});

afterAll(async () => {
  await Promise.all(
    [open, protectedDefault, appNopass, replica, writableReplica, sentinel, minReplicas, primary].map((s) =>
      s?.stop(),
    ),
  );
  await cluster?.stop();
});

describe('sec.auth decides from the server, not from the client password', () => {
  it('an open server on a non-loopback address fails, even when the URL carries a password', async () => {
    // A nopass default user accepts any password: ioredis's HELLO 3 AUTH default anything succeeds.
    const { json, run } = await runJson(['doctor', '--url', `redis://:anything@${PUBLIC}:${open.port}`]);
    expect(byId(json.checks, 'conn.auth').status).toBe('pass');
    const auth = byId(json.checks, 'sec.auth');
    expect(auth.status).toBe('fail');
    expect(auth.message).toMatch(/answers without a password \(the password doctor was given is not needed/);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toContain('anything');
    // The same server through loopback: still open on 192.0.2.2, which CONFIG GET bind shows.
    const loop = await runJson(['doctor', '--url', `redis://:anything@127.0.0.1:${open.port}`]);
    expect(byId(loop.json.checks, 'sec.auth').message).toMatch(/listens on 192\.0\.2\.2/);
  });

  it('a protected default with a second nopass user warns, naming it (and not a disabled one)', async () => {
    const { json } = await runJson(['doctor', '--url', protectedDefault.url]);
    const auth = byId(json.checks, 'sec.auth');
    expect(auth.status).toBe('warn');
    expect(auth.message).toMatch(/user reporting is nopass/);
    expect(auth.message).not.toContain('retired');
  });

  it("the app's own user being nopass fails: the password in the URL protects nothing", async () => {
    const { json } = await runJson(['doctor', '--url', `redis://app:whatever@127.0.0.1:${appNopass.port}`]);
    expect(byId(json.checks, 'sec.auth')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/user app is nopass/),
    });
  });

  it('a server that refuses unauthenticated clients and has no nopass user passes', async () => {
    const srv = await startRedis({ password: 'only-Secret-pw' });
    try {
      const r = await runJson(['doctor', '--url', srv.url]);
      expect(byId(r.json.checks, 'sec.auth')).toMatchObject({
        status: 'pass',
        message: 'the server refuses clients without credentials (NOAUTH); no enabled user is nopass',
      });
    } finally {
      await srv.stop();
    }
  });
});

describe('server.writable: can the app write at all?', () => {
  it('a read-only replica fails for queues and warns for a cache, naming the primary', async () => {
    const q = await runJson(['doctor', '--url', replica.url, '--use', 'queue']);
    const w = byId(q.json.checks, 'server.writable');
    expect(w.status).toBe('fail');
    expect(w.message).toMatch(/read-only replica of 127\.0\.0\.1:\d+: every write answers READONLY/);
    expect(w.hint).toContain(`connect to the primary 127.0.0.1:${primary.port}`);
    expect(q.run.exitCode).toBe(1);
    const c = await runJson(['doctor', '--url', replica.url, '--use', 'cache']);
    expect(byId(c.json.checks, 'server.writable').status).toBe('warn');
  });

  it('a replica with replica-read-only no, and the primary, accept writes', async () => {
    for (const s of [writableReplica, primary]) {
      const { json } = await runJson(['doctor', '--url', s.url, '--use', 'queue']);
      expect(byId(json.checks, 'server.writable').status).toBe('pass');
    }
  });

  it('min-replicas-to-write with too few good replicas fails (NOREPLICAS), and passes once met', async () => {
    const { json } = await runJson(['doctor', '--url', minReplicas.url, '--use', 'cache']);
    expect(byId(json.checks, 'server.writable')).toMatchObject({
      status: 'fail',
      message: 'min-replicas-to-write 1 but 0 good replica(s): every write answers NOREPLICAS',
    });
    // The server's own answer agrees.
    await expect(minReplicas.client().set('k', 'v')).rejects.toThrow(/NOREPLICAS/);
    const r = await startRedis({ config: [`replicaof 127.0.0.1 ${minReplicas.port}`] });
    try {
      await waitFor(
        async () => (await minReplicas.client().info('replication')).includes('min_slaves_good_slaves:1'),
        15_000,
        'good replica',
      );
      const again = await runJson(['doctor', '--url', minReplicas.url, '--use', 'cache']);
      expect(byId(again.json.checks, 'server.writable').message).toMatch(/min-replicas-to-write 1 met/);
    } finally {
      await r.stop();
    }
  });

  it('a Sentinel port is never healthy: it says what it is and how to connect', async () => {
    const { json, run } = await runJson(['doctor', '--url', sentinel.url]);
    expect(run.exitCode).toBe(1);
    expect(json.server.mode).toBe('sentinel');
    const t = byId(json.checks, 'server.topology');
    expect(t.status).toBe('fail');
    expect(t.message).toMatch(
      /this is a Redis Sentinel, not a data node.*monitors "?mymaster"? at 127\.0\.0\.1:\d+/,
    );
    expect(t.hint).toMatch(/mymaster/);
    expect(byId(json.checks, 'mem.policy').status).toBe('skip');
    expect(json.ok).toBe(false);
  });
});

describe('the database in the URL is the one used, or exit 2', () => {
  it('an index that does not exist is a connection error (exit 2), not db 0', async () => {
    const run = await runCli(['doctor', '--url', `${primary.url}/20`]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /cannot use database 20 on redis:\/\/127\.0\.0\.1:\d+\/20: ERR DB index is out of range/,
    );
    expect(run.stderr).toMatch(/hint: use a database that exists/);
    const ok = await runJson(['doctor', '--url', `${primary.url}/15`, '--use', 'cache']);
    expect(ok.run.exitCode).toBe(0);
  });

  it('any index on a cluster is a connection error (exit 2); db 0 is fine', async () => {
    const run = await runCli(['doctor', '--url', `${cluster.url}/1`]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/SELECT is not allowed in cluster mode/);
    expect(run.stderr).toMatch(/a cluster has only database 0/);
    const ok = await runJson(['doctor', '--url', `${cluster.url}/0`, '--use', 'cache']);
    expect(ok.run.exitCode).toBe(0);
  });

  it('queues gets the same treatment (one connection layer)', async () => {
    const run = await runCli(['queues', '--url', `${primary.url}/20`]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/DB index is out of range/);
  });
});

describe('doctor reads nothing that counts, writes nothing', () => {
  it('a run leaves keyspace hits/misses and the DEBUG DIGEST unchanged', async () => {
    const srv = await startRedis({
      config: ['enable-debug-command yes', 'maxmemory 64mb', 'maxmemory-policy noeviction'],
    });
    const connection = { host: '127.0.0.1', port: srv.port };
    try {
      const q = new Queue('emails', { connection });
      for (let i = 0; i < 3; i++) await q.add('welcome', { i });
      const worker = new Worker('emails', async () => 'done', { connection });
      await waitFor(async () => (await q.getJobCounts('completed')).completed === 3, 15_000, 'jobs done');
      await worker.close();
      await q.close();
      const c = srv.client();
      for (let i = 0; i < 200; i++) await c.set(`user:${i}:id`, String(i));
      const stats = async (): Promise<string> =>
        (await c.info('stats'))
          .split('\n')
          .filter((l) => /keyspace_(hits|misses)/.test(l))
          .join(' ');
      const before = { digest: await c.call('DEBUG', 'DIGEST'), stats: await stats() };
      const { json } = await runJson(['doctor', '--url', srv.url]);
      expect(json.use.reason).toBe(
        'inferred queue: 1 BullMQ queue found: bull:emails (pass --use to override)',
      );
      expect(await stats()).toBe(before.stats);
      // The queue gates read the queues they were asked about (LLEN, ZCARD...): still no write.
      await runJson(['doctor', '--url', srv.url, '--max-failed-jobs', '5', '--max-waiting-age', '60']);
      expect(await c.call('DEBUG', 'DIGEST')).toBe(before.digest);
    } finally {
      await srv.stop();
    }
  });
});
