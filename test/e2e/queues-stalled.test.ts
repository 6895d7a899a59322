import { Queue, Worker } from 'bullmq';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Stalled jobs in the overview's attention list, made the way production makes them: a worker
 * process holding a job is killed (SIGKILL: no clean close, its lock simply expires). Then a new
 * worker's stalled check either moves the job back (stalledCounter 1: "stalled before") or,
 * with maxStalledCount 0, fails it ("stalled out").
 */
let server: RedisServer;
const workers: Worker[] = [];
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
const bullmq = createRequire(import.meta.url).resolve('bullmq');

/** A worker in its own process that takes one job and never finishes it; killed with SIGKILL. */
async function crashWhileHolding(queue: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stalled-'));
  const file = join(dir, 'worker.cjs');
  writeFileSync(
    file,
    `const { Worker } = require(${JSON.stringify(bullmq)});
new Worker(${JSON.stringify(queue)}, () => { console.log('holding'); return new Promise(() => {}); },
  { connection: { host: '127.0.0.1', port: ${server.port}, maxRetriesPerRequest: null }, lockDuration: 1000, stalledInterval: 1000 });`,
  );
  const child: ResultPromise = execa('node', [file], { reject: false, buffer: false });
  await new Promise<void>((resolve) => child.stdout?.on('data', () => resolve()));
  child.kill('SIGKILL');
  await child;
  const admin = server.client();
  await waitFor(async () => (await admin.exists(`bull:${queue}:1:lock`)) === 0, 10_000, 'the lock to expire');
  // Its own stalled-check key (PX stalledInterval) keeps other workers' checks off until it expires.
  await waitFor(
    async () => (await admin.exists(`bull:${queue}:stalled-check`)) === 0,
    10_000,
    'stalled-check to expire',
  );
}

async function row(name: string): Promise<{ attention: string[] }> {
  const { json, run } = await runJson(['queues', '--url', server.url]);
  expect(run.exitCode).toBe(0);
  return json.queues.find((q: { name: string }) => q.name === name);
}

beforeAll(async () => {
  server = await startRedis();
  for (const name of ['crashed', 'recovered', 'stalled-out']) {
    const q = new Queue(name, { connection: connection() });
    await q.add('work', { n: 1 });
    await q.close();
    await crashWhileHolding(name);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close(true)));
  await server?.stop();
});

describe('stalled jobs in the overview', () => {
  it('a killed worker: its active job has no lock, and nobody runs the stalled check', async () => {
    const r = await row('crashed');
    expect(r.attention).toContain('stalled: 1 of 1 active jobs looked at have no lock and no worker runs');
  });

  it('a job moved back by the stalled check and taken again: "stalled before"', async () => {
    // The new worker's stalled check moves the job back to wait (stc 1); it then holds it.
    const w = new Worker('recovered', () => new Promise(() => undefined), {
      connection: connection(),
      stalledInterval: 300,
      lockDuration: 30_000,
    });
    workers.push(w);
    const admin = server.client();
    await waitFor(
      async () =>
        (await admin.hget('bull:recovered:1', 'stc')) === '1' &&
        (await admin.exists('bull:recovered:1:lock')) === 1,
      15_000,
      'the job to be taken again after a stall',
    );
    const r = await row('recovered');
    expect(r.attention).toContain('stalled before: 1 of 1 active jobs looked at (stalledCounter > 0)');
    expect(r.attention.some((a) => a.startsWith('stalled:'))).toBe(false);
    const show = await runJson(['queues', 'show', 'recovered', '--url', server.url]);
    expect(show.json.stalled).toMatchObject({ examined: 1, unlocked: [], stalledBefore: 1 });
    const text = await runCli(['queues', 'show', 'recovered', '--url', server.url]);
    expect(text.stdout).toMatch(/stalled +1 active job of 1 stalled before \(stalledCounter > 0\)/);
  });

  it('maxStalledCount 0: the job fails as stalled, and the overview names it', async () => {
    const w = new Worker('stalled-out', () => Promise.resolve(), {
      connection: connection(),
      stalledInterval: 300,
      maxStalledCount: 0,
    });
    workers.push(w);
    const q = new Queue('stalled-out', { connection: connection() });
    await waitFor(async () => (await q.getJobCounts('failed')).failed === 1, 15_000, 'the job to fail');
    await q.close();
    const r = await row('stalled-out');
    expect(r.attention).toContain(
      'stalled out: 1 of the last 1 failed jobs stalled more than maxStalledCount',
    );
    const show = await runJson(['queues', 'show', 'stalled-out', '--url', server.url]);
    expect(show.json.stalled).toMatchObject({ failedExamined: 1, failedStalled: 1 });
  });
});
