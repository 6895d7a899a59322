import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { byId } from '../helpers/doctor.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ config: ['maxmemory 64mb', 'maxmemory-policy noeviction'] });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('doctor on a 3-primary cluster', () => {
  it('an empty cluster with --use queue: no queues yet, the hint names hash tags', async () => {
    const { json, run } = await runJson(['doctor', '--url', cluster.url, '--use', 'queue']);
    expect(run.exitCode).toBe(0);
    expect(byId(json.checks, 'bullmq.hashtags')).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(/^no queues yet/),
    });
  });

  it('queues with a {hash tag} prefix pass bullmq.hashtags', async () => {
    const q = new Queue('emails', { connection: cluster.client(), prefix: '{app}' });
    await q.add('welcome', { to: 'a@example.com' });
    await q.close();
    const { json, run } = await runJson(['doctor', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    expect(json.use.reason).toMatch(/inferred queue: 1 BullMQ queue found/);
    expect(byId(json.checks, 'bullmq.hashtags')).toMatchObject({
      status: 'pass',
      message: 'all 1 queues use a {hash tag}',
    });
    expect(byId(json.checks, 'mem.policy').status).toBe('pass');
  });

  it('a queue without a hash tag fails, named, with the prefix hint', async () => {
    // BullMQ's scripts cannot even run for such a queue on a cluster (CROSSSLOT), so its meta
    // hash is written here the way a queue created before the move to a cluster left it.
    const c = cluster.client();
    await c.hset('bull:sms:meta', 'version', 'bullmq:6.7.0');
    await c.set('bull:sms:id', '1');
    await c.xadd('bull:sms:events', '*', 'event', 'added', 'jobId', '1');
    const { json, run } = await runJson(['doctor', '--url', cluster.url]);
    expect(run.exitCode).toBe(1);
    const h = byId(json.checks, 'bullmq.hashtags');
    expect(h.status).toBe('fail');
    expect(h.message).toMatch(/^1 of 2 queues have no \{hash tag\}.*: bull:sms$/);
    expect(h.hint).toMatch(/prefix: "\{myapp\}"/);
  });

  it('counts failed and waiting jobs over every primary for the gate', async () => {
    const { json } = await runJson([
      'doctor',
      '--url',
      cluster.url,
      '--max-failed-jobs',
      '0',
      '--max-waiting-age',
      '3600',
    ]);
    // bull:sms (no hash tag, from the test above) cannot be read as one queue: the gates fail
    // closed, naming it, instead of counting it as 0 failed jobs.
    for (const id of ['gate.maxFailedJobs', 'gate.maxWaitingAge'])
      expect(byId(json.checks, id)).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(
          /^1 of 2 queue\(s\) could not be read, .*: bull:sms \(keys spread over cluster slots/,
        ),
      });
  });
});
