import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsOf, waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * A filtered job action stopped by a real Ctrl-C in a real terminal: it says how many it did,
 * and BullMQ's own counts agree exactly.
 */
let server: RedisServer;
let pane: Pane | undefined;
const total = 1500;
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });

beforeAll(async () => {
  server = await startRedis();
  const q = new Queue('big', { connection: connection() });
  await q.addBulk(Array.from({ length: total }, (_, i) => ({ name: 'send', data: { i } })));
  const w = new Worker(
    'big',
    async () => {
      throw new Error('ECONNRESET');
    },
    { connection: connection(), concurrency: 100 },
  );
  await waitFor(async () => (await q.getJobCounts('failed')).failed === total, 30_000, 'failures');
  await w.close();
  await q.close();
}, 60_000);

afterAll(async () => {
  pane?.kill();
  await server?.stop();
});

describe('queues jobs <queue> ... retry, Ctrl-C half way', () => {
  it('exit 130 with "retried N of 1,500", and N is what BullMQ counts', async () => {
    pane = openPane(
      ['queues', 'jobs', 'big', '--failed-reason', 'ECONNRESET', 'retry', '--yes', '--url', server.url],
      {
        width: 120,
      },
    );
    await waitFor(
      async () => (pane?.capture() ?? []).some((l) => /retry \[/.test(l)),
      30_000,
      'the progress bar',
    );
    pane.keys('C-c');
    expect(await pane.done()).toBe(130);
    const text = output(pane.capture()).join('\n');
    const m = /interrupted: retried ([\d,]+) of 1,500 jobs in bull:big/.exec(text);
    expect(m, text).not.toBeNull();
    const done = Number((m?.[1] ?? '').replace(/,/g, ''));
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(total);
    expect(text).toContain('hint: run the same command again to finish');
    const counts = await countsOf(connection(), { name: 'big', prefix: 'bull' });
    expect(counts).toMatchObject({ failed: total - done, waiting: done });
  }, 60_000);
});
