import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { buildQueues, countsOf, waitFor, type Fixture, type QueueRef } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

type Row = {
  prefix: string;
  name: string;
  key: string;
  version: string | null;
  paused: boolean;
  counts: Record<string, number>;
  workers: number | null;
  stalledCheck: boolean;
  oldestWaitingAgeMs: number | null;
  attention: string[];
};
const rowOf = (rows: Row[], key: string): Row => {
  const r = rows.find((x) => x.key === key);
  if (!r) throw new Error(`no queue ${key} in ${rows.map((x) => x.key).join(', ')}`);
  return r;
};
const conn = (s: RedisServer) => ({ host: '127.0.0.1', port: s.port });

let live: RedisServer;
let still: RedisServer;
let liveFixture: Fixture;
let stillFixture: Fixture;

/** Dataset digest: changes when any key, value or TTL changes. */
const digest = async (c: Redis): Promise<string> => String(await c.call('DEBUG', 'DIGEST'));

beforeAll(async () => {
  [live, still] = await Promise.all([startRedis(), startRedis({ config: ['enable-debug-command yes'] })]);
  [liveFixture, stillFixture] = await Promise.all([
    buildQueues(conn(live), { active: true }),
    buildQueues(conn(still)),
  ]);
  const c = still.client();
  // Look-alikes and old layouts on the quiet server.
  await c.set('user:42:id', '7'); // an unrelated "*:id" counter: not a queue
  await c.set('session:id', 'abc');
  // An id counter beside an events stream and a list of non-jobs: one structure of the right kind is not enough.
  await c.set('app:order:7:id', '7');
  await c.xadd('app:order:7:events', '*', 'event', 'created');
  await c.lpush('app:order:7:wait', 'line-1');
  await c.hset('bull:legacy:meta', 'version', 'bullmq:5.1.0', 'paused', '1'); // v5: paused jobs in their own list
  await c.lpush('bull:legacy:paused', '1', '2');
  await c.hset('bull:legacy:1', 'name', 'x', 'timestamp', String(Date.now() - 60_000));
  await c.hset('bull:legacy:2', 'name', 'x', 'timestamp', String(Date.now() - 30_000));
  await c.set('bull:nometa:id', '3'); // meta lost: found by its id counter and its wait list
  await c.lpush('bull:nometa:wait', '3');
  await c.hset('bull:nometa:3', 'name', 'x', 'data', '{}', 'timestamp', String(Date.now())); // a job hash
  // Workers have stopped; their stalled-check keys expire on their own, which would change the digest.
  for (const ref of stillFixture.queues) await c.del(`${ref.prefix}:${ref.name}:stalled-check`);
});

afterAll(async () => {
  await liveFixture?.stop();
  await Promise.all([live?.stop(), still?.stop()]);
});

describe('queues: the overview', () => {
  it('finds every queue, with counts equal to BullMQ getJobCounts()', async () => {
    const { json, run } = await runJson(['queues', '--url', live.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(json.queues.map((q: Row) => q.key)).toEqual([
      'bull:email',
      'bull:flow-child',
      'bull:flow-parent',
      'myapp:jobs:reports',
    ]);
    for (const ref of liveFixture.queues) {
      const row = rowOf(json.queues, `${ref.prefix}:${ref.name}`);
      expect(row.counts, row.key).toEqual(await countsOf(conn(live), ref));
      expect(row.prefix).toBe(ref.prefix);
      expect(row.name).toBe(ref.name);
      // A FlowProducer writes no meta: such queues are found by their id counter.
      expect(row.version).toBe(ref.name.startsWith('flow-') ? null : 'bullmq:6.7.0');
    }
    const email = rowOf(json.queues, 'bull:email');
    expect(email.counts).toEqual({
      waiting: 3,
      active: 1,
      delayed: 1,
      prioritized: 2,
      'waiting-children': 0,
      completed: 3,
      failed: 3,
    });
    expect(rowOf(json.queues, 'bull:flow-parent').counts['waiting-children']).toBe(1);
    expect(email.attention).toEqual(['3 failed']);
  });

  it('counts workers as BullMQ does, and the age of the oldest waiting job', async () => {
    const { json } = await runJson(['queues', '--url', live.url]);
    const email = rowOf(json.queues, 'bull:email');
    const q = new Queue('email', { connection: conn(live), skipMetasUpdate: true, skipVersionCheck: true });
    expect(email.workers).toBe(await q.getWorkersCount());
    expect(email.workers).toBe(1);
    const [oldest] = await q.getJobs(['waiting'], -1, -1);
    await q.close();
    expect(email.oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
    expect(email.oldestWaitingAgeMs).toBeLessThanOrEqual(Date.now() - (oldest?.timestamp ?? 0));
    expect(json.workersFrom).toBe('client-list');
    expect(json.eval).toBe('allowed');
    expect(json.countsFrom).toBe('lua');
  });

  it('shows a paused queue under a prefix with ":" and flags it', async () => {
    const { json } = await runJson(['queues', '--url', live.url]);
    const reports = rowOf(json.queues, 'myapp:jobs:reports');
    expect(reports).toMatchObject({ prefix: 'myapp:jobs', name: 'reports', paused: true, workers: 0 });
    expect(reports.counts.waiting).toBe(2);
    expect(reports.attention).toContain('paused');
  });

  it('prints a table with flagged rows explained', async () => {
    const run = await runCli(['queues', '--url', live.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /PREFIX\s+NAME\s+WAIT\s+ACTIVE\s+DELAYED\s+PRIO\s+CHILDREN\s+DONE\s+FAILED\s+PAUSED\s+WORKERS\s+OLDEST\s+VERSION/,
    );
    expect(run.stdout).toMatch(/⚠\s+bull\s+email\s+3\s+1\s+1\s+2\s+0\s+3\s+3\s+no\s+1\s+\S+\s+6\.7\.0/);
    expect(run.stdout).toContain('⚠ bull:email: 3 failed');
    expect(run.stdout).toContain('⚠ myapp:jobs:reports: paused');
    expect(run.stdout).toContain('4 queues; counts from one read-only script per queue, pipelined');
  });

  it('--prefix limits the search and pins the split', async () => {
    const { json } = await runJson(['queues', '--url', live.url, '--prefix', 'myapp:jobs']);
    expect(json.queues.map((q: Row) => [q.prefix, q.name])).toEqual([['myapp:jobs', 'reports']]);
    const { json: two } = await runJson([
      'queues',
      '--url',
      live.url,
      '--prefix',
      'myapp',
      '--prefix',
      'bull',
    ]);
    expect(two.queues.map((q: Row) => `${q.prefix}|${q.name}`)).toEqual([
      'bull|email',
      'bull|flow-child',
      'bull|flow-parent',
      // BullMQ 6 forbids ':' in names: --prefix myapp only filters, the name stays "reports".
      'myapp:jobs|reports',
    ]);
  });

  it('finds meta-less queues by their id counter, ignores look-alike "*:id" keys, counts the v5 paused list', async () => {
    const { json } = await runJson(['queues', '--url', still.url]);
    const keys = json.queues.map((q: Row) => q.key);
    expect(keys).toContain('bull:nometa');
    expect(keys).not.toContain('user:42');
    expect(keys).not.toContain('session');
    expect(keys).not.toContain('app:order:7');
    expect(rowOf(json.queues, 'bull:nometa')).toMatchObject({
      version: null,
      counts: expect.objectContaining({ waiting: 1 }),
    });
    const legacy = rowOf(json.queues, 'bull:legacy');
    expect(legacy).toMatchObject({ version: 'bullmq:5.1.0', paused: true });
    expect(legacy.counts.waiting).toBe(2);
    expect(legacy.oldestWaitingAgeMs).toBeGreaterThanOrEqual(60_000);
  });
});

describe('queues: read commands write nothing', () => {
  it('the dataset digest is the same before and after queues and queues show', async () => {
    const c = still.client();
    const before = await digest(c);
    for (const args of [
      ['queues'],
      ['queues', 'show', 'email', '--jobs', 'failed'],
      ['queues', 'show', 'reports', '--jobs', 'waiting'],
      ['queues', 'show', 'legacy'],
      ['queues', 'retry', 'email', '--dry-run'],
      ['queues', 'clean', 'email', '--state', 'completed', '--grace', '0', '--dry-run'],
    ]) {
      const run = await runCli([...args, '--url', still.url]);
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(await digest(c), args.join(' ')).toBe(before);
    }
    for (const ref of stillFixture.queues)
      expect(await c.hget(`${ref.prefix}:${ref.name}:meta`, 'version')).toBe(
        ref.name.startsWith('flow-') ? null : 'bullmq:6.7.0',
      );
    expect(await c.hget('bull:legacy:meta', 'version')).toBe('bullmq:5.1.0');
  });
});

describe('queues show', () => {
  it('gives counts, workers, failure reasons, throughput and jobs', async () => {
    const { json, run } = await runJson(['queues', 'show', 'email', '--url', live.url, '--jobs', 'failed']);
    expect(run.exitCode).toBe(0);
    expect(json.queue).toEqual({ prefix: 'bull', name: 'email', key: 'bull:email', version: 'bullmq:6.7.0' });
    expect(json.counts).toEqual(await countsOf(conn(live), { name: 'email', prefix: 'bull' }));
    expect(json.workers).toHaveLength(1);
    expect(json.workers[0].name).toBe('holder');
    expect(json.failed).toEqual({
      sampled: 3,
      reasons: [
        { reason: 'smtp timeout', count: 2 },
        { reason: 'bad address', count: 1 },
      ],
    });
    const totals = json.throughput.reduce(
      (a: { c: number; f: number }, m: { completed: number; failed: number }) => ({
        c: a.c + m.completed,
        f: a.f + m.failed,
      }),
      { c: 0, f: 0 },
    );
    expect(totals).toEqual({ c: 3, f: 3 });
    expect(json.throughput).toHaveLength(10);
    expect(new Date(json.nextDelayedAt).getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(json.jobSchedulers).toBe(0);
    expect(json.jobs.state).toBe('failed');
    expect(json.jobs.items).toHaveLength(3);
    expect(json.jobs.items[0]).toMatchObject({
      name: 'send',
      attemptsMade: 1,
      failedReason: expect.stringMatching(/smtp timeout|bad address/),
    });
  });

  it('prints the detail as text', async () => {
    const run = await runCli([
      'queues',
      'show',
      'email',
      '--url',
      live.url,
      '--jobs',
      'waiting',
      '--limit',
      '3',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('redis-ops queues show  bull:email');
    expect(run.stdout).toMatch(/workers\s+1 worker\n\s+holder/);
    expect(run.stdout).toContain('top reasons over the 3 most recent failures:');
    expect(run.stdout).toMatch(/2\s+smtp timeout\n\s+1\s+bad address/);
    expect(run.stdout).toContain('jobs in waiting, newest first (workers take from the other end) (3):');
  });

  it('unknown queue: exit 2 with the names that exist', async () => {
    const run = await runCli(['queues', 'show', 'emial', '--url', live.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('✖ no queue named "emial"');
    expect(run.stderr).toContain(
      'hint: queues here: bull:email, bull:flow-child, bull:flow-parent, myapp:jobs:reports',
    );
  });

  it('ambiguous name: exit 2 listing the prefixes; --prefix picks one', async () => {
    const q = new Queue('reports', { connection: conn(live), prefix: 'other' });
    await q.add('x', {});
    try {
      const run = await runCli(['queues', 'show', 'reports', '--url', live.url]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('queue name "reports" exists under 2 prefixes: myapp:jobs, other');
      const { json } = await runJson(['queues', 'show', 'reports', '--url', live.url, '--prefix', 'other']);
      expect(json.queue.key).toBe('other:reports');
    } finally {
      await q.obliterate({ force: true });
      await q.close();
    }
  });
});

describe('queues: gates and bad input', () => {
  it('--max-failed exceeded: exit 1 naming the queue', async () => {
    const { json, run } = await runJson(['queues', '--url', live.url, '--max-failed', '2']);
    expect(run.exitCode).toBe(1);
    expect(json.violations).toEqual([{ queue: 'bull:email', rule: 'max-failed', value: 3, limit: 2 }]);
    const text = await runCli(['queues', '--url', live.url, '--max-failed', '2']);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('✖ bull:email: 3 failed jobs, more than --max-failed 2');
    expect((await runCli(['queues', '--url', live.url, '--max-failed', '3'])).exitCode).toBe(0);
  });

  it('--max-waiting-age exceeded: exit 1 naming the queue', async () => {
    const { json, run } = await runJson(['queues', '--url', still.url, '--max-waiting-age', '50']);
    expect(run.exitCode).toBe(1);
    expect(json.violations.map((v: { queue: string }) => v.queue)).toEqual(['bull:legacy']);
  });

  it('bad flag values are usage errors', async () => {
    for (const args of [
      ['--max-failed', 'x'],
      ['--max-waiting-age', '-1'],
    ]) {
      const run = await runCli(['queues', '--url', live.url, ...args]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/✖ invalid --max-/);
    }
    const bad = await runCli(['queues', 'show', 'email', '--url', live.url, '--jobs', 'sleeping']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('hint: one of: waiting, active, delayed');
  });

  it('an unreachable server is a connection error (exit 2)', async () => {
    const run = await runCli(['queues', '--url', 'redis://127.0.0.1:1', '--timeout', '1000']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/cannot connect/);
  });
});

describe('queues: a worker that finishes its job shows up in the counts', () => {
  it('stays equal to getJobCounts while jobs move', async () => {
    const ref: QueueRef = { name: 'moving', prefix: 'bull' };
    const q = new Queue(ref.name, { connection: conn(live) });
    await q.addBulk(Array.from({ length: 20 }, () => ({ name: 'm', data: {} })));
    const w = new Worker(ref.name, async () => 'ok', { connection: conn(live) });
    await waitFor(async () => (await q.getJobCounts('completed')).completed === 20);
    await w.close();
    const { json } = await runJson(['queues', '--url', live.url, '--prefix', 'bull']);
    expect(rowOf(json.queues, 'bull:moving').counts).toEqual(await countsOf(conn(live), ref));
    await q.obliterate({ force: true });
    await q.close();
  });
});
