import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * Issue 13: `queues clean --grace` fixes its cutoff when the plan is shown. Through the real CLI
 * in a real terminal (tmux): real BullMQ completed jobs, two of them young enough to be kept
 * when the plan is made but old enough for BullMQ's clean(grace) by the time the person says
 * yes. Exactly the jobs the prompt counted are deleted.
 */
let server: RedisServer;
const panes: Pane[] = [];
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GRACE_MS = 3000;

/** Completes `n` jobs with a real worker; returns their ids and finishedOn times. */
async function complete(
  q: Queue,
  n: number,
  tag: string,
): Promise<Array<{ id: string; finishedOn: number }>> {
  const jobs = await q.addBulk(Array.from({ length: n }, (_, i) => ({ name: tag, data: { i } })));
  const w = new Worker(q.name, async () => 'ok', { connection: connection(), concurrency: 10 });
  const ids = jobs.map((j) => String(j.id));
  const done = async () =>
    (await Promise.all(ids.map((id) => q.getJobState(id)))).every((s) => s === 'completed');
  await waitFor(done, 20_000, `${n} ${tag} jobs completed`);
  await w.close();
  const after = await Promise.all(ids.map((id) => q.getJob(id)));
  return after.map((j) => ({ id: String(j?.id), finishedOn: Number(j?.finishedOn) }));
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const p of panes) p.kill();
  await server?.stop();
});

describe('clean --grace on a terminal: the cutoff is fixed at planning time', () => {
  it('jobs that cross the grace while the prompt waits are kept; only the planned count is deleted', async () => {
    const q = new Queue('grace', { connection: connection() });
    try {
      const old = await complete(q, 4, 'old');
      // Past the grace before the plan is made, so the 4 old jobs qualify and the young ones do not.
      await sleep(GRACE_MS + 300);
      const young = await complete(q, 2, 'young');
      const youngest = Math.max(...young.map((j) => j.finishedOn));

      const p = openPane(
        ['queues', 'clean', 'grace', '--state', 'completed', '--grace', '3s', '--url', server.url],
        {
          width: 200,
        },
      );
      panes.push(p);
      await waitFor(async () => p.capture().some((l) => l.includes('older than 3s')), 20_000, 'the prompt');
      const prompt = p.capture().find((l) => l.includes('older than 3s')) ?? '';
      expect(prompt).toMatch(/delete up to 4 jobs in completed of bull:grace older than 3s \(before [^)]+\)/);
      // The cutoff shown lies between the old jobs and the young ones.
      const cutoff = Date.parse(/\(before ([^)]+)\)/.exec(prompt)?.[1] ?? '');
      expect(cutoff).toBeGreaterThanOrEqual(Math.max(...old.map((j) => j.finishedOn)));
      expect(cutoff).toBeLessThan(Math.min(...young.map((j) => j.finishedOn)));

      // The person reads the prompt until the young jobs are older than the grace too: BullMQ's
      // clean(grace), recomputing "now - grace" at run time, would now delete all 6.
      await sleep(Math.max(0, youngest + GRACE_MS + 500 - Date.now()));
      p.keys('y');
      p.keys('Enter');
      const code = await p.done();
      const text = output(p.capture()).join('\n');
      expect(code, text).toBe(0);
      expect(text).toContain('✔ deleted 4 jobs in completed of bull:grace');

      // BullMQ's own reads: the young jobs are still there, the old ones are gone.
      const left = (await q.getCompleted()).map((j) => String(j.id)).sort();
      expect(left).toEqual(young.map((j) => j.id).sort());
      expect((await q.getJobCounts('completed')).completed).toBe(2);
    } finally {
      await q.close();
    }
  }, 30_000);
});
