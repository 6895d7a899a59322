import Bull from 'bull';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Queues of the old `bull` package (4.16, OptimalBits): shown read-only, never acted on with
 * BullMQ (whose pause Bull workers ignore, and whose scripts add BullMQ-only keys).
 */
let server: RedisServer;
let admin: Redis;

async function keysOf(base: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${base}:*`, 'COUNT', 1000);
    out.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return out.sort();
}

beforeAll(async () => {
  server = await startRedis();
  admin = server.client();
  const q = new Bull('legacy', { redis: { host: '127.0.0.1', port: server.port } });
  for (let i = 0; i < 5; i++) await q.add({ fail: i >= 3 }, { attempts: 1 });
  await q.add({ later: true }, { delay: 3_600_000 });
  const done = new Promise<void>((resolve) => {
    let n = 0;
    const tick = () => ++n === 5 && resolve();
    q.on('completed', tick).on('failed', tick);
  });
  void q.process(async (job: Bull.Job<{ fail?: boolean }>) => {
    if (job.data.fail) throw new Error('legacy failure');
    return 'ok';
  });
  await done;
  await q.close();
  const p = new Bull('legacy', { redis: { host: '127.0.0.1', port: server.port } });
  await p.add({ n: 1 });
  await p.add({ n: 2 });
  await p.close();
});

afterAll(async () => {
  await server?.stop();
});

describe('a queue of the old bull package', () => {
  it('is found and counted like Bull counts it', async () => {
    const { json, run } = await runJson(['queues', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    const row = json.queues.find((r: { key: string }) => r.key === 'bull:legacy');
    expect(row).toMatchObject({ prefix: 'bull', name: 'legacy', version: null });
    const q = new Bull('legacy', { redis: { host: '127.0.0.1', port: server.port } });
    const bull = await q.getJobCounts();
    await q.close();
    expect(row.counts).toMatchObject({
      waiting: bull.waiting,
      active: bull.active,
      delayed: bull.delayed,
      completed: bull.completed,
      failed: bull.failed,
    });
  });

  it('every action refuses with one clear line and writes nothing into it', async () => {
    const before = await keysOf('bull:legacy');
    for (const args of [
      ['pause', 'legacy'],
      ['resume', 'legacy'],
      ['retry', 'legacy'],
      ['promote', 'legacy'],
      ['clean', 'legacy', '--state', 'completed', '--grace', '0'],
    ]) {
      const run = await runCli(['queues', ...args, '--yes', '--url', server.url]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(
        `✖ cannot ${args[0]} bull:legacy: it has no BullMQ meta version, so it is a queue of the old "bull" package`,
      );
      expect(run.stderr).toContain('hint: act on it with bull itself');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const after = await keysOf('bull:legacy');
    expect(after).toEqual(before);
    for (const k of ['bull:legacy:marker', 'bull:legacy:events', 'bull:legacy:meta'])
      expect(after).not.toContain(k);
  });

  it('a Bull worker still processes it afterwards (nothing paused it)', async () => {
    const q = new Bull('legacy', { redis: { host: '127.0.0.1', port: server.port } });
    void q.process(async () => 'ok');
    await waitFor(async () => (await q.getJobCounts()).waiting === 0, 15_000, 'bull to drain');
    expect((await q.getJobCounts()).completed).toBe(5);
    await q.close();
  });
});
