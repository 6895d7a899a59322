import { FlowProducer, Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/** `queues job <queue> <id>`: one job in full, from what real BullMQ producers and workers wrote. */
let server: RedisServer;
let failedId = '';
let parentId = '';
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });

beforeAll(async () => {
  server = await startRedis({ config: ['enable-debug-command yes'] });
  const q = new Queue('mail', { connection: connection() });
  const job = await q.add(
    'send',
    { to: 'a@example.com', nested: { n: 1 } },
    { attempts: 3, backoff: { type: 'fixed', delay: 10 } },
  );
  failedId = job.id ?? '';
  const w = new Worker(
    'mail',
    async (j) => {
      await j.log(`attempt ${j.attemptsMade + 1}`);
      await j.updateProgress(50);
      throw new Error(`smtp down ${j.attemptsMade + 1}`);
    },
    { connection: connection(), name: 'mailer-1' },
  );
  await waitFor(async () => (await q.getJobCounts('failed')).failed === 1, 20_000);
  await w.close();
  const flows = new FlowProducer({ connection: connection() });
  const tree = await flows.add({
    name: 'report',
    queueName: 'reports',
    children: [
      { name: 'part', queueName: 'parts', data: { i: 1 } },
      { name: 'part', queueName: 'parts', data: { i: 2 } },
    ],
  });
  parentId = tree.job.id ?? '';
  await flows.close();
  await q.close();
});

afterAll(async () => {
  await server?.stop();
});

describe('queues job', () => {
  it('a failed job: attempts, every stack trace, logs, progress, the worker', async () => {
    const admin = server.client();
    const digest = String(await admin.call('DEBUG', 'DIGEST'));
    const { json, run } = await runJson(['queues', 'job', 'mail', failedId, '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({
      queue: { key: 'bull:mail' },
      id: failedId,
      state: 'failed',
      name: 'send',
      data: { to: 'a@example.com', nested: { n: 1 } },
      attempts: { made: 3, allowed: 3 },
      backoff: { type: 'fixed', delay: 10 },
      progress: 50,
      failedReason: 'smtp down 3',
      processedBy: 'mailer-1',
      lock: null,
    });
    expect(json.stacktraces).toHaveLength(3);
    expect(json.stacktraces[0]).toContain('Error: smtp down');
    expect(json.logs).toEqual({ total: 3, lines: ['attempt 1', 'attempt 2', 'attempt 3'] });
    expect(json.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(String(await admin.call('DEBUG', 'DIGEST'))).toBe(digest);

    const text = await runCli(['queues', 'job', 'mail', failedId, '--url', server.url]);
    expect(text.stdout).toMatch(/attempts +3 made of 3 allowed · backoff \{"delay":10,"type":"fixed"\}/);
    expect(text.stdout).toContain('stack trace 3 of 3');
    expect(text.stdout).toContain('    "to": "a@example.com",');
    const raw = await runCli(['queues', 'job', 'mail', failedId, '--raw', '--url', server.url]);
    expect(raw.stdout).toContain('    {"to":"a@example.com","nested":{"n":1}}');
  });

  it('a flow parent names its pending children; a child names its parent', async () => {
    const parent = await runJson(['queues', 'job', 'reports', parentId, '--url', server.url]);
    expect(parent.json.state).toBe('waiting-children');
    expect(parent.json.children.pending).toHaveLength(2);
    const child = parent.json.children.pending[0] as string;
    const c = await runJson(['queues', 'job', 'parts', child, '--url', server.url]);
    expect(c.json.parent).toBe(`bull:reports:${parentId}`);
    expect(c.json.state).toBe('waiting');
  });

  it('an unknown id: exit 2 with a hint', async () => {
    const run = await runCli(['queues', 'job', 'mail', '999', '--url', server.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^✖ no job 999 in bull:mail\n {2}hint: it may have been removed/);
  });
});
