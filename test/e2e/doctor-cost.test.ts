import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { byId } from '../helpers/doctor.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The health gate's cost does not grow with the keyspace: doctor infers the use from bounded
 * evidence (CLIENT LIST, a SCAN within a budget of keys and time) and says when the budget ran
 * out. The server's own INFO commandstats tell what doctor sent.
 */
let big: RedisServer; // 150k keys (DEBUG POPULATE) + 50k `user:N:id` counters, no queues
let denied: RedisServer; // a user that may not SCAN, on an allkeys-lru instance holding a queue

async function commandstats(s: RedisServer): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await s.client().info('commandstats')).split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m) out[m[1] as string] = Number(m[2]);
  }
  return out;
}

beforeAll(async () => {
  [big, denied] = await Promise.all([
    startRedis({ config: ['enable-debug-command yes'] }),
    startRedis({
      config: ['maxmemory 64mb', 'maxmemory-policy allkeys-lru'],
      acl: ['user app on >app-Secret-pw ~* &* +@all -scan'],
    }),
  ]);
  const c = big.client();
  await c.call('DEBUG', 'POPULATE', '150000');
  for (let i = 0; i < 50_000; i += 1000) {
    const p = c.pipeline();
    for (let j = i; j < i + 1000; j++) p.set(`user:${j}:id`, String(j));
    await p.exec();
  }
  const q = new Queue('emails', { connection: { host: '127.0.0.1', port: denied.port } });
  await q.add('welcome', {});
  await q.close();
}, 120_000);

afterAll(async () => {
  await Promise.all([big, denied].map((s) => s?.stop()));
});

describe('use inference within a budget', () => {
  it('200k keys: stops at the budget, says so, and sends no per-key command', async () => {
    await big.client().call('CONFIG', 'RESETSTAT');
    const { json } = await runJson(['doctor', '--url', big.url]);
    expect(json.use.value).toBe('unknown');
    expect(json.use.reason).toMatch(
      /^use unknown: queues: none found in the first [\d,]+ of 200,000 keys \(the scan budget \((100,000 keys|40 ms of server time per node)\) ran out\); pass --use to be sure$/,
    );
    const stats = await commandstats(big);
    expect(stats.scan ?? 0).toBeLessThanOrEqual(101);
    // 50k `*:id` names were seen: none got a GET or TYPE; at most 200 candidates × 7 MEMORY USAGE.
    expect(stats.get ?? 0).toBe(0);
    expect(stats.type ?? 0).toBe(0);
    expect(stats.hget ?? 0).toBe(0);
    expect(stats.memory ?? 0).toBeLessThanOrEqual(1400);
    // An unknown use is never told to switch to allkeys-lru.
    expect(byId(json.checks, 'mem.policy').message).not.toMatch(/right for a cache$/);
  });

  it('--use makes it certain and skips the scan', async () => {
    await big.client().call('CONFIG', 'RESETSTAT');
    const { json } = await runJson(['doctor', '--url', big.url, '--use', 'cache']);
    expect(json.use).toEqual({ value: 'cache', source: 'flag', reason: '--use cache' });
    // No use-inference scan; what is left is keys.ttl's bounded sample (at most 5 SCAN pages a node).
    expect((await commandstats(big)).scan ?? 0).toBeLessThanOrEqual(5);
  });
});

describe('where SCAN is denied', () => {
  const url = (s: RedisServer): string => `redis://app:app-Secret-pw@127.0.0.1:${s.port}`;

  it('the use is unknown, not cache: allkeys-lru is not called right', async () => {
    const { json } = await runJson(['doctor', '--url', url(denied)]);
    expect(json.use.value).toBe('unknown');
    expect(json.use.reason).toMatch(/^use unknown: SCAN failed: NOPERM.*pass --use$/);
    const policy = byId(json.checks, 'mem.policy');
    expect(policy.status).toBe('warn');
    expect(policy.message).toMatch(/loses jobs if this instance holds BullMQ queues/);
  });

  it('a connected BullMQ worker names its queue in CLIENT LIST: queue use, and allkeys-lru fails', async () => {
    const worker = new Worker('emails', async () => 'ok', {
      connection: { host: '127.0.0.1', port: denied.port },
    });
    try {
      await waitFor(
        async () => String(await denied.client().client('LIST')).includes('name=bull:'),
        10_000,
        'worker connection',
      );
      const { json } = await runJson(['doctor', '--url', url(denied)]);
      expect(json.use.value).toBe('queue');
      expect(json.use.reason).toMatch(/BullMQ connections for bull:emails in CLIENT LIST/);
      expect(byId(json.checks, 'mem.policy').status).toBe('fail');
    } finally {
      await worker.close();
    }
  });
});
