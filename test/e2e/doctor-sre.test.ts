import { connect, type Socket } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { byId } from '../helpers/doctor.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Fitness verdicts and the SRE checks of issue 11, each against a real server set up that way.
 */
const PUBLIC = '192.0.2.2';
let lru: RedisServer; // a full allkeys-lru cache
let leastPriv: RedisServer; // a worker user limited to ~bull:*
let slow: RedisServer; // slowlog-log-slower-than 0, latency monitor at 1 ms
let plain: RedisServer;
let exposed: RedisServer; // bound to a non-loopback address, protected-mode no, DEBUG enabled
let users: RedisServer; // an app user with every command, and one without @dangerous/@admin
let cluster: TestCluster;

beforeAll(async () => {
  [lru, leastPriv, slow, plain, exposed, users, cluster] = await Promise.all([
    startRedis({ config: ['maxmemory 4mb', 'maxmemory-policy allkeys-lru'] }),
    startRedis({ acl: ['user worker on >work-Secret-pw ~bull:* &* +@all -@dangerous +info +client'] }),
    startRedis({
      config: ['slowlog-log-slower-than 0', 'latency-monitor-threshold 1', 'enable-debug-command yes'],
    }),
    startRedis({ config: ['enable-debug-command yes'] }),
    startRedis({ config: [`bind 127.0.0.1 ${PUBLIC}`, 'protected-mode no', 'enable-debug-command yes'] }),
    startRedis({
      acl: [
        'user app on >app-Secret-pw ~* &* +@all',
        'user safe on >safe-Secret-pw ~* &* +@all -@dangerous -@admin +info',
      ],
    }),
    startCluster(),
  ]);
  const c = lru.client();
  const value = 'x'.repeat(1000);
  for (let i = 0; i < 20_000; i += 500) {
    const p = c.pipeline();
    for (let j = i; j < i + 500; j++) p.set(`cache:${j}`, value);
    await p.exec();
  }
  for (let i = 0; i < 2000; i++) await c.get(`cache:${19_999 - (i % 1000)}`);
}, 120_000);

afterAll(async () => {
  await Promise.all([lru, leastPriv, slow, plain, exposed, users].map((s) => s?.stop()));
  await cluster?.stop();
});

describe('fitness verdicts', () => {
  it('a full allkeys-lru cache passes mem.usage, judged by eviction rate and hit ratio', async () => {
    const { json } = await runJson(['doctor', '--url', lru.url, '--use', 'cache']);
    const usage = byId(json.checks, 'mem.usage');
    expect(usage.status).toBe('pass');
    expect(usage.message).toMatch(
      /^\d+\.\d% of maxmemory used .* under allkeys-lru, which evicts as it fills: [\d,]+ evictions/,
    );
    expect(Number(/([\d,]+) evictions/.exec(usage.message)?.[1]?.replaceAll(',', ''))).toBeGreaterThan(0);
  });

  it('a least-privilege ~bull:* user that runs a real Worker passes bullmq.scripting', async () => {
    const connection = {
      host: '127.0.0.1',
      port: leastPriv.port,
      username: 'worker',
      password: 'work-Secret-pw',
    };
    const q = new Queue('mail', { connection });
    await q.add('send', { to: 'a' });
    const worker = new Worker('mail', async () => 'sent', { connection });
    await waitFor(async () => (await q.getJobCounts('completed')).completed === 1, 15_000, 'job done');
    await worker.close();
    await q.close();
    const { json } = await runJson([
      'doctor',
      '--url',
      `redis://worker:work-Secret-pw@127.0.0.1:${leastPriv.port}`,
      '--use',
      'queue',
    ]);
    expect(byId(json.checks, 'bullmq.scripting')).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(/^user worker may run EVAL and EVALSHA \(checked with /),
    });
  });

  it("latency.slowlog leaves doctor's own commands out, and shows the app's", async () => {
    const c = slow.client();
    await c.call('SLOWLOG', 'RESET');
    await runJson(['doctor', '--url', slow.url, '--use', 'cache']);
    await c.set('app:key', '1');
    const { json } = await runJson(['doctor', '--url', slow.url, '--use', 'cache']);
    const s = byId(json.checks, 'latency.slowlog');
    expect(s.message).toMatch(/left out: \d+ of doctor's own/);
    expect(s.message).toMatch(/SET ×1/);
    expect(s.message).not.toMatch(/\b(SCAN|CONFIG|ACL|PING|CLIENT) ×/);
  });

  it('a cluster with one different primary names that node (policy, AOF)', async () => {
    const odd = cluster.nodes[1] as RedisServer;
    const others = cluster.nodes.filter((n) => n !== odd);
    for (const n of others) {
      await n.client().call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await n.client().call('CONFIG', 'SET', 'appendonly', 'yes');
    }
    await odd.client().call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await waitFor(
      async () => !(await odd.client().info('persistence')).includes('aof_rewrite_in_progress:1'),
    );
    const { json } = await runJson(['doctor', '--url', cluster.url, '--use', 'queue']);
    const policy = byId(json.checks, 'mem.policy');
    expect(policy.status).toBe('fail');
    expect(policy.message).toMatch(
      new RegExp(`^127\\.0\\.0\\.1:${odd.port}: maxmemory-policy is allkeys-lru`),
    );
    expect(policy.message).toMatch(/\(the other 2 primaries: not fail\)/);
    const aof = byId(json.checks, 'persist.queue');
    expect(aof.status).toBe('warn');
    expect(aof.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${odd.port}: queues without AOF`));
    // Primaries without a replica: a failure loses their slots.
    expect(byId(json.checks, 'cluster.nodes')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/^3 of 3 primaries have no replica/),
    });
  });

  it("the hash-tag rule is Redis's: a{}b{c} is not tagged", async () => {
    const c = cluster.client();
    await c.hset('a{}b{c}:jobs:meta', 'version', 'bullmq:6.7.0');
    await c.set('a{}b{c}:jobs:id', '1');
    await c.xadd('a{}b{c}:jobs:events', '*', 'event', 'added');
    const { json } = await runJson(['doctor', '--url', cluster.url, '--use', 'queue']);
    const h = byId(json.checks, 'bullmq.hashtags');
    expect(h.status).toBe('fail');
    expect(h.message).toMatch(/a\{\}b\{c\}:jobs$/);
  });
});

describe('SRE checks on real servers', () => {
  it('latency.events shows LATENCY LATEST; latency.fork the last fork', async () => {
    const c = slow.client();
    await c.call('DEBUG', 'SLEEP', '0.05');
    await c.bgsave();
    await waitFor(async () => (await c.info('persistence')).includes('rdb_bgsave_in_progress:0'));
    const { json } = await runJson(['doctor', '--url', slow.url, '--use', 'cache']);
    expect(byId(json.checks, 'latency.events')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/command max \d+ ms/),
    });
    expect(byId(json.checks, 'latency.fork').message).toMatch(/^the last fork took [\d.]+ ms/);
    const quiet = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
    expect(byId(quiet.json.checks, 'latency.events').status).toBe('skip'); // monitor off: says how to turn it on
  });

  it('mem.doctor: a peak far above the current use; maxmemory above the machine fails', async () => {
    const c = plain.client();
    const big = 'y'.repeat(1 << 20);
    for (let i = 0; i < 40; i++) await c.set(`tmp:${i}`, big);
    for (let i = 0; i < 40; i++) await c.del(`tmp:${i}`);
    for (let i = 0; i < 6; i++) await c.set(`keep:${i}`, big);
    const total = Number(/total_system_memory:(\d+)/.exec(await c.info('memory'))?.[1]);
    await c.call('CONFIG', 'SET', 'maxmemory', String(total * 2));
    try {
      const { json } = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
      expect(byId(json.checks, 'mem.doctor').message).toMatch(/peak memory .*× the current/);
      expect(byId(json.checks, 'mem.maxmemory')).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(/is more than the machine's/),
      });
    } finally {
      await c.call('CONFIG', 'SET', 'maxmemory', '0');
    }
  });

  it('clients.buffers: a client that does not read a 40 MB reply', async () => {
    const c = plain.client();
    await c.call('SETRANGE', 'huge', String(40 * 2 ** 20), 'x');
    const sock: Socket = connect({ host: '127.0.0.1', port: plain.port });
    await new Promise((r) => sock.once('connect', r));
    sock.pause(); // never read: the reply waits in the server's output buffer
    sock.write('GET huge\r\nGET huge\r\n');
    try {
      await waitFor(
        async () =>
          Number(/client_recent_max_output_buffer:(\d+)/.exec(await c.info('clients'))?.[1]) > 32 * 2 ** 20,
        10_000,
        'output buffer',
      );
      const { json } = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
      expect(byId(json.checks, 'clients.buffers')).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(/a client reads too slowly or asks for huge replies/),
      });
    } finally {
      sock.destroy();
      await c.del('huge');
    }
  });

  it('errors.rate: error replies rising right now warn; a quiet server passes', async () => {
    const quiet = await runJson(['doctor', '--url', lru.url, '--use', 'cache']);
    expect(byId(quiet.json.checks, 'errors.rate').status).toBe('pass');
    const c = new Redis({ port: plain.port });
    c.on('error', () => undefined);
    await c.set('str', 'v');
    let on = true;
    const loop = (async () => {
      while (on) await c.lpush('str', 'x').catch(() => undefined);
    })();
    try {
      const { json } = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
      expect(byId(json.checks, 'errors.rate')).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(/errors are rising now: WRONGTYPE \+\d+/),
      });
    } finally {
      on = false;
      await loop;
      c.disconnect();
    }
  });

  it('persist.age reports the unsaved changes and the last good save', async () => {
    const { json } = await runJson(['doctor', '--url', lru.url, '--use', 'queue']);
    expect(byId(json.checks, 'persist.age').message).toMatch(
      /^[\d,]+ changes since the last good save \d+ min ago/,
    );
  });

  it('sec.network: protected-mode no on a non-loopback bind, plaintext beyond loopback; loopback passes', async () => {
    const { json } = await runJson([
      'doctor',
      '--url',
      `redis://${PUBLIC}:${exposed.port}`,
      '--use',
      'cache',
    ]);
    const n = byId(json.checks, 'sec.network');
    expect(n.status).toBe('warn');
    expect(n.message).toMatch(/protected-mode is off and the server listens on 192\.0\.2\.2/);
    expect(n.message).toMatch(/plaintext on a non-loopback address/);
    const ok = await runJson(['doctor', '--url', lru.url, '--use', 'cache']);
    expect(byId(ok.json.checks, 'sec.network').status).toBe('pass');
  });

  it('sec.commands: an app user with @dangerous/@admin warns, DEBUG enabled warns; a restricted user passes', async () => {
    const wide = await runJson([
      'doctor',
      '--url',
      `redis://app:app-Secret-pw@127.0.0.1:${users.port}`,
      '--use',
      'cache',
    ]);
    expect(byId(wide.json.checks, 'sec.commands')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/user app may run FLUSHALL, CONFIG SET, DEBUG, SHUTDOWN, MODULE/),
    });
    const safe = await runJson([
      'doctor',
      '--url',
      `redis://safe:safe-Secret-pw@127.0.0.1:${users.port}`,
      '--use',
      'cache',
    ]);
    expect(byId(safe.json.checks, 'sec.commands').status).not.toBe('warn');
    const debug = await runJson(['doctor', '--url', `redis://${PUBLIC}:${exposed.port}`, '--use', 'cache']);
    expect(byId(debug.json.checks, 'sec.commands').message).toMatch(/DEBUG is enabled for every client/);
  });
});

describe('cluster: a node down is named', () => {
  it('a primary in fail is named by the topology check', async () => {
    const victim = cluster.nodes[2] as RedisServer;
    await victim.stop();
    const seed = (cluster.nodes[0] as RedisServer).client();
    await waitFor(
      async () => String(await seed.call('CLUSTER', 'NODES')).includes('fail'),
      20_000,
      'fail flag',
    );
    const { json } = await runJson(['doctor', '--url', cluster.url, '--use', 'cache']);
    expect(byId(json.checks, 'server.topology').message).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${victim.port} is (suspected down \\(pfail\\)|down \\(fail\\))`),
    );
  }, 40_000);
});
