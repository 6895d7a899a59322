import { Queue as Queue512, Worker as Worker512 } from 'bullmq512';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Prefix/name splits are the same on every run, whoever is connected: a bullmq 5.12.0 queue
 * named "tenant:1" under prefix "acme" (5.12.12 later forbade ':' in names), and a bullmq 6
 * queue under "myapp:jobs" looked for with --prefix myapp.
 */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port });
type Row = { key: string; prefix: string; name: string; split: string };
const rowOf = (rows: Row[], key: string): Row | undefined => rows.find((r) => r.key === key);

beforeAll(async () => {
  server = await startRedis();
  const old = new Queue512('tenant:1', { connection: connection(), prefix: 'acme' });
  await old.add('j', { n: 1 });
  await old.close();
  const q = new Queue('reports', { connection: connection(), prefix: 'myapp:jobs' });
  await q.add('r', {});
  await q.close();
});

afterAll(async () => {
  await server?.stop();
});

describe('prefix and name', () => {
  it('bullmq 5.12 "tenant:1" under acme: acme / tenant:1, before and while a worker is connected', async () => {
    const before = await runJson(['queues', '--url', server.url]);
    expect(rowOf(before.json.queues, 'acme:tenant:1')).toMatchObject({
      prefix: 'acme',
      name: 'tenant:1',
      split: 'first-segment',
    });
    const worker = new Worker512('tenant:1', async () => 'ok', { connection: connection(), prefix: 'acme' });
    await worker.waitUntilReady();
    try {
      const during = await runJson(['queues', '--url', server.url]);
      const pick = (r?: Row) => r && { prefix: r.prefix, name: r.name, split: r.split };
      expect(pick(rowOf(during.json.queues, 'acme:tenant:1'))).toEqual(
        pick(rowOf(before.json.queues, 'acme:tenant:1')),
      );
      const show = await runJson(['queues', 'show', 'tenant:1', '--url', server.url]);
      expect(show.json.queue).toMatchObject({ prefix: 'acme', name: 'tenant:1' });
    } finally {
      await worker.close();
    }
  });

  it('--prefix myapp on a bullmq 6 queue: the name stays "reports" (no ":" allowed in names)', async () => {
    const { json } = await runJson(['queues', '--prefix', 'myapp', '--url', server.url]);
    expect(json.queues.map((q: Row) => [q.prefix, q.name, q.split])).toEqual([
      ['myapp:jobs', 'reports', 'name-rule'],
    ]);
    const show = await runCli(['queues', 'show', 'reports', '--prefix', 'myapp', '--url', server.url]);
    expect(show.exitCode).toBe(0);
  });
});
