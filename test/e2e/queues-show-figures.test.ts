import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The figures `queues show` gives are honest, with real BullMQ workers: throughput from BullMQ's
 * metrics when workers collect them, the events stream's real window when it is trimmed, the
 * limiter's state, active jobs whose lock is gone, the order of --jobs, and a replica.
 */
let server: RedisServer;
let replica: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
type Minute = { completed: number; failed: number };
const sum = (ms: Minute[], k: keyof Minute) => ms.reduce((s, m) => s + m[k], 0);

async function run(name: string, jobs: number, opts: Record<string, unknown> = {}, fail = 0): Promise<void> {
  const q = new Queue(name, { connection: connection(), ...(opts.queue as object) });
  await q.addBulk(Array.from({ length: jobs }, (_, i) => ({ name: 'j', data: { fail: i < fail } })));
  const w = new Worker(
    name,
    async (job) => {
      if (job.data.fail) throw new Error('nope');
      return 'ok';
    },
    { connection: connection(), concurrency: 20, ...(opts.worker as object) },
  );
  await waitFor(async () => {
    const c = await q.getJobCounts('completed', 'failed');
    return (c.completed ?? 0) + (c.failed ?? 0) === jobs;
  }, 30_000);
  await w.close();
  await q.close();
}

beforeAll(async () => {
  server = await startRedis();
  await run('metered', 25, { worker: { metrics: { maxDataPoints: 60 } } }, 5);
  await run('busy', 300, { queue: { streams: { events: { maxLen: 50 } } } });
  // A global rate limit of 1 job per 20 s: after one job the limiter is tripped.
  const limited = new Queue('limited', { connection: connection() });
  await limited.setGlobalRateLimit(1, 20_000);
  await limited.close();
  await run('limited', 1);
  const order = new Queue('order', { connection: connection() });
  await order.add('in-3h', {}, { delay: 3 * 3_600_000 });
  await order.add('in-1h', {}, { delay: 3_600_000 });
  await order.add('in-2h', {}, { delay: 2 * 3_600_000 });
  await order.add('p5', {}, { priority: 5 });
  await order.add('p1', {}, { priority: 1 });
  await order.add('p3', {}, { priority: 3 });
  await order.close();
  // A job left active by a worker that went away: its 1 s lock expires, nobody is connected.
  const lost = new Queue('lost', { connection: connection() });
  await lost.add('held', {});
  const w = new Worker('lost', () => new Promise(() => undefined), {
    connection: connection(),
    lockDuration: 1000,
    stalledInterval: 600_000,
  });
  await waitFor(async () => (await lost.getJobCounts('active')).active === 1);
  await w.close(true);
  const admin = server.client();
  await waitFor(async () => (await admin.exists('bull:lost:1:lock')) === 0, 10_000, 'the lock to expire');
  await lost.close();
  replica = await startRedis({ config: [`replicaof 127.0.0.1 ${server.port}`] });
  const r = replica.client();
  await waitFor(async () => String(await r.info('replication')).includes('master_link_status:up'));
  await waitFor(async () => (await r.exists('bull:order:meta')) === 1);
}, 90_000);

afterAll(async () => {
  await Promise.all([replica?.stop(), server?.stop()]);
});

describe('throughput', () => {
  it("from BullMQ's metrics keys when workers collect them, source named", async () => {
    const { json } = await runJson(['queues', 'show', 'metered', '--url', server.url]);
    expect(json.throughputFrom).toBe('metrics');
    expect(sum(json.throughput, 'completed')).toBe(20);
    expect(sum(json.throughput, 'failed')).toBe(5);
    const text = await runCli(['queues', 'show', 'metered', '--url', server.url]);
    expect(text.stdout).toContain("per minute from BullMQ's metrics (UTC):");
  });

  it('from a trimmed events stream: the window it really covers is marked', async () => {
    const { json } = await runJson(['queues', 'show', 'busy', '--url', server.url]);
    expect(json.throughputFrom).toBe('events');
    expect(json.eventsCoverFrom).toMatch(/^\d{4}-/);
    expect(sum(json.throughput, 'completed')).toBeLessThan(300);
    const text = await runCli(['queues', 'show', 'busy', '--url', server.url]);
    expect(text.stdout).toMatch(
      /the stream is trimmed: events cover the last \S+ only, earlier minutes are unknown/,
    );
  });
});

describe('throughput sparklines', () => {
  it('metrics: completed and failed per minute drawn oldest left, the numbers in --json', async () => {
    const { json } = await runJson(['queues', 'show', 'metered', '--minutes', '3', '--url', server.url]);
    expect(json.throughput).toHaveLength(3);
    const text = await runCli(['queues', 'show', 'metered', '--minutes', '3', '--url', server.url]);
    const completed = /completed ([▁-█ ]{3}) {2}\d\d:\d\d–now UTC, at most (\d+)\/min/.exec(text.stdout);
    const failed = /failed {4}([▁-█ ]{3}) {2}\d\d:\d\d–now UTC, at most (\d+)\/min/.exec(text.stdout);
    expect(completed?.[2]).toBe(String(Math.max(...json.throughput.map((m: Minute) => m.completed))));
    expect(failed?.[2]).toBe(String(Math.max(...json.throughput.map((m: Minute) => m.failed))));
    // The busiest minute is the full block.
    expect(completed?.[1]).toContain('█');
  });

  it('a trimmed events stream: minutes it no longer covers are blank, not zero', async () => {
    const text = await runCli(['queues', 'show', 'busy', '--minutes', '5', '--url', server.url]);
    const m = /completed (.{5}) {2}/.exec(text.stdout);
    // The oldest minutes are before the stream's first entry; the minute the jobs ran is drawn
    // (which of the last two it is depends on when the minute turned).
    expect(m?.[1]?.[0]).toBe(' ');
    expect(m?.[1]).toMatch(/[▂-█]/);
  });
});

describe('limiter and stalled jobs', () => {
  it('a tripped limiter shows its count, reset time and configured limit', async () => {
    const { json } = await runJson(['queues', 'show', 'limited', '--url', server.url]);
    expect(json.limiter).toMatchObject({ count: 1, max: 1, durationMs: 20_000, tripped: true });
    expect(json.limiter.resetsInMs).toBeGreaterThan(0);
    const text = await runCli(['queues', 'show', 'limited', '--url', server.url]);
    expect(text.stdout).toMatch(
      /rate limit +1 jobs per 20000 ms; limiter tripped: 1 job in the current window, resets in/,
    );
  });

  it('an active job without a lock and no worker is flagged as stalled', async () => {
    const { json } = await runJson(['queues', 'show', 'lost', '--url', server.url]);
    expect(json.stalled).toMatchObject({ examined: 1, unlocked: ['1'], stalledBefore: 0 });
    const overview = await runJson(['queues', '--url', server.url]);
    const row = overview.json.queues.find((q: { key: string }) => q.key === 'bull:lost');
    expect(row.attention).toContain('stalled: 1 of 1 active jobs looked at have no lock and no worker runs');
  });
});

describe('--jobs order', () => {
  it('delayed and prioritized: next to run first', async () => {
    const names = async (state: string): Promise<string[]> => {
      const { json } = await runJson(['queues', 'show', 'order', '--jobs', state, '--url', server.url]);
      return json.jobs.items.map((j: { name: string }) => j.name);
    };
    expect(await names('delayed')).toEqual(['in-1h', 'in-2h', 'in-3h']);
    expect(await names('prioritized')).toEqual(['p1', 'p3', 'p5']);
    const text = await runCli(['queues', 'show', 'order', '--jobs', 'delayed', '--url', server.url]);
    expect(text.stdout).toContain('jobs in delayed, next to run first (by run time) (3):');
  });
});

describe('on a replica', () => {
  it('workers are said to connect to the primary; no "no worker" warning', async () => {
    const { json, run: r } = await runJson(['queues', '--url', replica.url]);
    expect(r.exitCode).toBe(0);
    expect(json.replica).toBe(true);
    for (const q of json.queues) expect(q.workers).toBeNull();
    expect(JSON.stringify(json.queues.map((q: { attention: string[] }) => q.attention))).not.toContain(
      'no worker while',
    );
    const text = await runCli(['queues', '--url', replica.url]);
    expect(text.stdout).toContain('this is a replica: workers connect to the primary');
    const show = await runCli(['queues', 'show', 'order', '--url', replica.url]);
    expect(show.stdout).toMatch(
      /workers +not visible here: this is a replica, and workers connect to the primary/,
    );
  });
});
