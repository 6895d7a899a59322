import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * "Waiting" for OLDEST and the age gates, with real BullMQ jobs: prioritized jobs, LIFO jobs
 * (the oldest is not at the tail), overdue delayed jobs a worker has not promoted yet, and
 * retried or promoted jobs, which count from when they became ready again.
 */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Row = { key: string; oldestWaitingAgeMs: number | null };
const ages = async (url: string): Promise<Record<string, number | null>> => {
  const { json } = await runJson(['queues', '--url', url]);
  return Object.fromEntries(json.queues.map((r: Row) => [r.key, r.oldestWaitingAgeMs]));
};

beforeAll(async () => {
  server = await startRedis({ acl: ['user nolua on >nolua-Pw-1 ~* &* +@all -@scripting'] });
  const c = connection();
  const prio = new Queue('prio', { connection: c });
  await prio.add('p', {}, { priority: 5 });
  await prio.add('p', {}, { priority: 1 });
  const lifo = new Queue('lifo', { connection: c });
  await lifo.add('old-fifo', {});
  const overdue = new Queue('overdue', { connection: c });
  await overdue.add('soon', {}, { delay: 300 });
  const promoted = new Queue('promoted', { connection: c });
  await promoted.add('later', {}, { delay: 3_600_000 });
  const retried = new Queue('retried', { connection: c });
  await retried.add('flaky', {});
  await sleep(3000);
  // Newer jobs on top: LIFO ones at the tail, a FIFO one at the head.
  await lifo.add('new-lifo', {}, { lifo: true });
  await lifo.add('new-lifo', {}, { lifo: true });
  await lifo.add('new-fifo', {});
  // Ready again just now: promoted from delayed, retried after a failure.
  await promoted.promoteJobs();
  const w = new Worker('retried', async () => Promise.reject(new Error('boom')), { connection: c });
  await waitFor(async () => (await retried.getJobCounts('failed')).failed === 1);
  await w.close();
  await retried.retryJobs({ state: 'failed' });
  for (const q of [prio, lifo, overdue, promoted, retried]) await q.close();
});

afterAll(async () => {
  await server?.stop();
});

describe('the oldest waiting job', () => {
  it('covers prioritized, LIFO and overdue delayed jobs; retried and promoted count from when they became ready', async () => {
    const a = await ages(server.url);
    expect(a['bull:prio']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:lifo']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:overdue']).toBeGreaterThanOrEqual(2500);
    expect(a['bull:promoted']).toBeLessThan(2000);
    expect(a['bull:retried']).toBeLessThan(2000);
  });

  it('the gates agree: queues --max-waiting-age and doctor gate.maxWaitingAge', async () => {
    const { json, run } = await runJson(['queues', '--max-waiting-age', '2', '--url', server.url]);
    expect(run.exitCode).toBe(1);
    expect(json.violations.map((v: { queue: string }) => v.queue).sort()).toEqual([
      'bull:lifo',
      'bull:overdue',
      'bull:prio',
    ]);
    const doctor = await runJson(['doctor', '--max-waiting-age', '2', '--url', server.url]);
    const gate = doctor.json.checks.find((c: { id: string }) => c.id === 'gate.maxWaitingAge');
    expect(gate.status).toBe('fail');
    expect(gate.message).toMatch(/bull:(prio|lifo|overdue)/);
  });

  it('where EVAL is denied: prioritized and overdue delayed jobs still count', async () => {
    const a = await ages(`redis://nolua:nolua-Pw-1@127.0.0.1:${server.port}`);
    expect(a['bull:prio']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:overdue']).toBeGreaterThanOrEqual(2500);
  });
});
