import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/** `queues jobs <queue>`: filters compose over real BullMQ jobs, and the reads stay within budget. */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });

beforeAll(async () => {
  server = await startRedis();
  const q = new Queue('search', { connection: connection() });
  await q.addBulk(
    Array.from({ length: 12 }, (_, i) => ({
      name: i % 3 === 0 ? 'other' : `send-${i}`,
      data: { user: { id: i }, fail: i % 2 === 0 ? 'ECONNRESET upstream' : i % 3 === 0 ? 'bad input' : null },
    })),
  );
  const w = new Worker(
    'search',
    async (job) => {
      if (job.data.fail) throw new Error(job.data.fail as string);
      return 'ok';
    },
    { connection: connection(), concurrency: 5 },
  );
  await waitFor(async () => {
    const c = await q.getJobCounts('completed', 'failed');
    return (c.completed ?? 0) + (c.failed ?? 0) === 12;
  });
  await w.close();
  const big = new Queue('big', { connection: connection() });
  for (let i = 0; i < 4; i++) await big.addBulk(Array.from({ length: 500 }, () => ({ name: 'w', data: {} })));
  await Promise.all([q.close(), big.close()]);
});

afterAll(async () => {
  await server?.stop();
});

describe('queues jobs', () => {
  it('--state failed --failed-reason: exactly the jobs that failed that way', async () => {
    const { json, run } = await runJson([
      'queues',
      'jobs',
      'search',
      '--state',
      'failed',
      '--failed-reason',
      'ECONNRESET',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    expect(
      json.jobs
        .map((j: { data: { user: { id: number } } }) => j.data.user.id)
        .sort((a: number, b: number) => a - b),
    ).toEqual([0, 2, 4, 6, 8, 10]);
    expect(json.examined).toBe(8);
    expect(json.budgetHit).toBe(false);
  });

  it('--name glob and --data-path compose; --ndjson prints one job per line', async () => {
    const run = await runCli([
      'queues',
      'jobs',
      'search',
      '--name',
      'send-*',
      '--data-path',
      'user.id=5',
      '--ndjson',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; state: string });
    expect(lines).toEqual([expect.objectContaining({ name: 'send-5', state: 'completed' })]);
    const none = await runJson([
      'queues',
      'jobs',
      'search',
      '--grep',
      '"id":7',
      '--state',
      'failed',
      '--url',
      server.url,
    ]);
    expect(none.json.jobs).toEqual([]);
    const text = await runCli(['queues', 'jobs', 'search', '--grep', '"id":7', '--url', server.url]);
    expect(text.stdout).toMatch(/send-7/);
    expect(text.stdout).toMatch(/1 listed; 12 jobs examined$/);
  });

  it('stops at --scan-limit and says so, with bounded reads (commandstats)', async () => {
    const admin = server.client();
    await admin.call('CONFIG', 'RESETSTAT');
    const { json } = await runJson([
      'queues',
      'jobs',
      'big',
      '--name',
      'nothing',
      '--scan-limit',
      '1500',
      '--url',
      server.url,
    ]);
    expect(json).toMatchObject({ examined: 1500, budgetHit: true, jobs: [] });
    const stats = String(await admin.info('commandstats'));
    const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    expect(calls('lrange')).toBe(2);
    expect(calls('hmget')).toBe(1500);
    const text = await runCli([
      'queues',
      'jobs',
      'big',
      '--name',
      'nothing',
      '--scan-limit',
      '1500',
      '--url',
      server.url,
    ]);
    expect(text.stdout).toContain('stopped at --scan-limit 1,500: more may match');
  });

  it('bad filters are usage errors', async () => {
    for (const args of [
      ['--since', 'yesterday'],
      ['--data-path', 'novalue'],
      ['--state', 'lost'],
      ['--sort', 'size'],
    ]) {
      const run = await runCli(['queues', 'jobs', 'search', ...args, '--url', server.url]);
      expect(run.exitCode, args.join(' ')).toBe(2);
    }
  });
});
