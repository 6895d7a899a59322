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
// When the fresh jobs (promoted, retried) became ready again: their age can be no more than the
// time since then, however slow the machine; the old ones waited at least the 5 s sleep.
let readyAgainAt = 0;
const sinceReadyAgain = () => Date.now() - readyAgainAt;
// A gate between the two: above what the fresh jobs can have waited, below the old ones.
const gateSeconds = () => String(Math.ceil(sinceReadyAgain() / 1000) + 2);
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
  // Enough jobs on both sides of the boundary that finding it takes more than one probe step.
  const lifoMany = new Queue('lifo-many', { connection: c });
  await lifoMany.addBulk(Array.from({ length: 40 }, (_, i) => ({ name: 'old-fifo', data: { i } })));
  const overdue = new Queue('overdue', { connection: c });
  await overdue.add('soon', {}, { delay: 300 });
  const promoted = new Queue('promoted', { connection: c });
  await promoted.add('later', {}, { delay: 3_600_000 });
  const retried = new Queue('retried', { connection: c });
  await retried.add('flaky', {});
  await sleep(5000);
  // Newer jobs on top: LIFO ones at the tail, a FIFO one at the head.
  await lifo.add('new-lifo', {}, { lifo: true });
  await lifo.add('new-lifo', {}, { lifo: true });
  await lifo.add('new-fifo', {});
  for (let i = 0; i < 40; i++) await lifoMany.add('new-lifo', { i }, { lifo: true });
  // Ready again just now: promoted from delayed, retried after a failure.
  readyAgainAt = Date.now();
  await promoted.promoteJobs();
  const w = new Worker('retried', async () => Promise.reject(new Error('boom')), { connection: c });
  await waitFor(async () => (await retried.getJobCounts('failed')).failed === 1);
  await w.close();
  await retried.retryJobs({ state: 'failed' });
  for (const q of [prio, lifo, lifoMany, overdue, promoted, retried]) await q.close();
});

afterAll(async () => {
  await server?.stop();
});

describe('the oldest waiting job', () => {
  it('covers prioritized, LIFO and overdue delayed jobs; retried and promoted count from when they became ready', async () => {
    const a = await ages(server.url);
    expect(a['bull:prio']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:lifo']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:lifo-many']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:overdue']).toBeGreaterThanOrEqual(2500);
    expect(a['bull:promoted']).toBeLessThanOrEqual(sinceReadyAgain());
    expect(a['bull:retried']).toBeLessThanOrEqual(sinceReadyAgain());
  });

  it('the gates agree: queues --max-waiting-age and doctor gate.maxWaitingAge', async () => {
    const { json, run } = await runJson(['queues', '--max-waiting-age', gateSeconds(), '--url', server.url]);
    expect(run.exitCode).toBe(1);
    expect(json.violations.map((v: { queue: string }) => v.queue).sort()).toEqual([
      'bull:lifo',
      'bull:lifo-many',
      'bull:overdue',
      'bull:prio',
    ]);
    const doctor = await runJson(['doctor', '--max-waiting-age', gateSeconds(), '--url', server.url]);
    const gate = doctor.json.checks.find((c: { id: string }) => c.id === 'gate.maxWaitingAge');
    expect(gate.status).toBe('fail');
    expect(gate.message).toMatch(/bull:(prio|lifo|overdue)/);
  });

  it('where EVAL is denied: the same figures from bounded plain reads (LIFO, retried, promoted too)', async () => {
    const url = `redis://nolua:nolua-Pw-1@127.0.0.1:${server.port}`;
    const { json, run } = await runJson(['queues', '--url', url, '--max-waiting-age', gateSeconds()]);
    expect(run.exitCode).toBe(1);
    expect(json.countsFrom).toBe('pipeline');
    const a = Object.fromEntries(json.queues.map((r: Row) => [r.key, r.oldestWaitingAgeMs]));
    expect(a['bull:prio']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:lifo']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:lifo-many']).toBeGreaterThanOrEqual(3000);
    expect(a['bull:overdue']).toBeGreaterThanOrEqual(2500);
    expect(a['bull:promoted']).toBeLessThanOrEqual(sinceReadyAgain());
    expect(a['bull:retried']).toBeLessThanOrEqual(sinceReadyAgain());
    expect(json.violations.map((v: { queue: string }) => v.queue).sort()).toEqual([
      'bull:lifo',
      'bull:lifo-many',
      'bull:overdue',
      'bull:prio',
    ]);
    // Both ways agree on every figure but the clock (a run later).
    const withLua = (await runJson(['queues', '--url', server.url])).json;
    const strip = (rows: Array<Record<string, unknown>>) =>
      rows.map(({ oldestWaitingAgeMs: _a, ...rest }) => rest);
    expect(strip(json.queues)).toEqual(strip(withLua.queues));
    const doctor = await runJson(['doctor', '--max-waiting-age', gateSeconds(), '--url', url]);
    const gate = doctor.json.checks.find((c: { id: string }) => c.id === 'gate.maxWaitingAge');
    expect(gate.status).toBe('fail');
  });
});
