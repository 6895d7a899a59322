import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { clockShift } from '../helpers/clock-shift.js';
import { byId, project } from '../helpers/doctor.js';
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

  it('without --use, a cache that evicted keys is of unknown use (queue keys may have been evicted)', async () => {
    const { json } = await runJson(['doctor', '--url', lru.url]);
    expect(json.use.value).toBe('unknown');
    expect(json.use.reason).toMatch(
      /^use unknown: no queues found, but [\d,]+ keys were evicted \(maxmemory-policy allkeys-lru\), and queue keys may have been among them; pass --use to be sure$/,
    );
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

describe('SRE checks in both directions, on servers set up that way', () => {
  it('persist.age: a server whose last good save is 2.5 h old with 20,001 unsaved changes warns; after BGSAVE it passes', async () => {
    // The server starts with its wall clock 2.5 h behind (its start is its last save), then the
    // clock returns to the true time: to Redis, 2.5 h have passed without a save.
    const clock = clockShift(-9000);
    const old = await startRedis({ env: clock.env });
    try {
      clock.set(0);
      const c = old.client();
      for (let i = 0; i <= 20_000; i += 1000) {
        const p = c.pipeline();
        for (let j = i; j < Math.min(i + 1000, 20_001); j++) p.set(`job:${j}`, 'v');
        await p.exec();
      }
      const { json } = await runJson(['doctor', '--url', old.url, '--use', 'queue']);
      expect(byId(json.checks, 'persist.age')).toMatchObject({
        status: 'warn',
        message: '20,001 changes since the last good save 2.5 h ago: a restart now loses them',
        hint: expect.stringMatching(/^nothing saves this instance \(save ""\)/),
      });
      await c.bgsave();
      await waitFor(async () => /rdb_bgsave_in_progress:0/.test(await c.info('persistence')));
      const saved = await runJson(['doctor', '--url', old.url, '--use', 'queue']);
      expect(byId(saved.json.checks, 'persist.age')).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(/^0 changes since the last good save 0 min ago$/),
      });
    } finally {
      await old.stop();
    }
  });

  it('mem.fragmentation: 300k keys with three in four deleted leave jemalloc pages pinned (warns); a fresh server passes', async () => {
    const frag = await startRedis({ config: ['enable-debug-command yes'] });
    try {
      const c = frag.client();
      await c.call('DEBUG', 'POPULATE', '300000', 'k', '200');
      // Delete three keys in four, spread over every page: RSS stays, used memory drops.
      await c.eval(
        "for i=0,299999,2 do redis.call('DEL','k:'..i) end for i=1,299999,4 do redis.call('DEL','k:'..i) end return 1",
        0,
      );
      const ratio = Number(/mem_fragmentation_ratio:([\d.]+)/.exec(await c.info('memory'))?.[1]);
      expect(ratio).toBeGreaterThan(1.5);
      const { json } = await runJson(['doctor', '--url', frag.url, '--use', 'cache']);
      expect(byId(json.checks, 'mem.fragmentation')).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(/^fragmentation ratio [\d.]+ \([\d.]+ MiB wasted\)$/),
      });
    } finally {
      await frag.stop();
    }
    const fresh = await runJson(['doctor', '--url', lru.url, '--use', 'cache']);
    expect(byId(fresh.json.checks, 'mem.fragmentation').status).not.toBe('warn');
  });

  it('latency.fork: the real last fork against --max-fork (default 500 ms)', async () => {
    const c = plain.client();
    await c.bgsave();
    await waitFor(async () => /rdb_bgsave_in_progress:0/.test(await c.info('persistence')));
    const usec = Number(/latest_fork_usec:(\d+)/.exec(await c.info('stats'))?.[1]);
    expect(usec).toBeGreaterThan(0);
    const byDefault = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
    expect(byId(byDefault.json.checks, 'latency.fork').status).toBe('pass');
    const strict = await runJson(['doctor', '--url', plain.url, '--use', 'cache', '--max-fork', '0']);
    expect(byId(strict.json.checks, 'latency.fork')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(
        /^the last fork took [\d.]+ ms: every client waits that long at each save \(more than 0 ms, the limit set\)$/,
      ),
    });
    const dir = project({ 'redis-ops.yaml': 'maxFork: 0ms\n' });
    const fromFile = await runJson([
      'doctor',
      '--url',
      plain.url,
      '--use',
      'cache',
      '--config',
      join(dir, 'redis-ops.yaml'),
    ]);
    expect(byId(fromFile.json.checks, 'latency.fork').status).toBe('warn');
  });

  it('conn.ping: a server kept busy by another client (DEBUG SLEEP) during the window warns', async () => {
    const busy = new Redis({ port: plain.port });
    busy.on('error', () => undefined);
    let on = true;
    const loop = (async () => {
      while (on) await busy.call('DEBUG', 'SLEEP', '0.1').catch(() => undefined);
    })();
    try {
      const { json } = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
      const ping = byId(json.checks, 'conn.ping');
      expect(ping).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(/^PONG: p50 .*: slow round trips$/),
      });
      expect(Number(/p90 ([\d.]+) ms/.exec(ping.message)?.[1])).toBeGreaterThan(50);
    } finally {
      on = false;
      await loop;
      busy.disconnect();
    }
    const quiet = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
    expect(byId(quiet.json.checks, 'conn.ping').status).toBe('pass');
  });

  it('cluster.nodes: warns naming the primary without a replica, passes once every primary has one', async () => {
    const c = await startCluster();
    const spares = await Promise.all([0, 1, 2].map(() => startRedis({ cluster: true })));
    try {
      const idOf = async (n: RedisServer): Promise<string> =>
        String(await n.client().call('CLUSTER', 'MYID'));
      const ids = await Promise.all(c.nodes.map(idOf));
      const replicate = async (spare: RedisServer, primary: string): Promise<void> => {
        const s = spare.client();
        await s.call('CLUSTER', 'MEET', '127.0.0.1', String((c.nodes[0] as RedisServer).port));
        await waitFor(async () => String(await s.call('CLUSTER', 'NODES')).includes(primary), 15_000, 'meet');
        await s.call('CLUSTER', 'REPLICATE', primary);
      };
      // Doctor reads CLUSTER NODES from one primary: wait until every primary's view agrees.
      const replicas = async (): Promise<number> => {
        const views = await Promise.all(
          c.nodes.map(
            async (n) =>
              String(await n.client().call('CLUSTER', 'NODES'))
                .split('\n')
                .map((l) => l.split(' '))
                .filter((p) => /(^|,)slave(,|$)/.test(p[2] ?? '') && ids.includes(p[3] ?? '')).length,
          ),
        );
        return Math.min(...views);
      };
      await replicate(spares[0] as RedisServer, ids[0] as string);
      await replicate(spares[1] as RedisServer, ids[1] as string);
      await waitFor(async () => (await replicas()) >= 2, 15_000, 'two replicas');
      const lonely = (c.nodes[2] as RedisServer).port;
      const some = await runJson(['doctor', '--url', c.url, '--use', 'cache']);
      expect(byId(some.json.checks, 'cluster.nodes')).toMatchObject({
        status: 'warn',
        message: `1 of 3 primaries have no replica (127.0.0.1:${lonely}): if one fails, its slots and keys are lost`,
      });
      await replicate(spares[2] as RedisServer, ids[2] as string);
      await waitFor(async () => (await replicas()) >= 3, 15_000, 'three replicas');
      const all = await runJson(['doctor', '--url', c.url, '--use', 'cache']);
      expect(byId(all.json.checks, 'cluster.nodes')).toMatchObject({
        status: 'pass',
        message: '3 primaries, each with a replica; no node in pfail or fail',
      });
    } finally {
      await Promise.all(spares.map((s) => s.stop()));
      await c.stop();
    }
  }, 90_000);
});
