import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Gates fail closed: a queue this user may not read fails `queues --max-failed` and doctor's
 * gate.maxFailedJobs, naming the queue, instead of counting as "0 failed".
 */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port });

beforeAll(async () => {
  server = await startRedis({ acl: ['user limited on >limited-Pw-1 ~bull:open:* &* +@all'] });
  for (const name of ['open', 'secret']) {
    const q = new Queue(name, { connection: connection() });
    await q.add('j', {});
    await q.close();
  }
});

afterAll(async () => {
  await server?.stop();
});

describe('gates on a queue the user may not read (NOPERM)', () => {
  const url = () => `redis://limited:limited-Pw-1@127.0.0.1:${server.port}`;

  it('queues --max-failed fails, naming it', async () => {
    const { json, run } = await runJson(['queues', '--max-failed', '0', '--url', url()]);
    expect(run.exitCode).toBe(1);
    expect(json.queues.map((q: { key: string }) => q.key)).toEqual(['bull:open', 'bull:secret']);
    expect(json.violations).toEqual([
      expect.objectContaining({
        queue: 'bull:secret',
        rule: 'unreadable',
        error: expect.stringMatching(/NOPERM/),
      }),
    ]);
    expect(run.stdout + run.stderr).not.toContain('limited-Pw-1');
  });

  it("doctor's gate.maxFailedJobs fails, naming it", async () => {
    const { json, run } = await runJson(['doctor', '--max-failed-jobs', '0', '--url', url()]);
    expect(run.exitCode).toBe(1);
    const gate = json.checks.find((c: { id: string }) => c.id === 'gate.maxFailedJobs');
    expect(gate.status).toBe('fail');
    expect(gate.message).toMatch(
      /^1 of 2 queue\(s\) could not be read, so their failed jobs are unknown: bull:secret \(/,
    );
  });
});

describe('errors a server or person causes become one line', () => {
  it('show --minutes 1000000: a usage error, not a stack overflow', async () => {
    const run = await runCli(['queues', 'show', 'open', '--minutes', '1000000', '--url', server.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^✖ invalid --minutes: 1000000\n {2}hint: give at most 1440/);
  });
});
