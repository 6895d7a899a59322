import { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';

/** Job actions, drain and obliterate through the cluster client, on hash-tagged queues of a 3-primary cluster. */
let cluster: TestCluster;
let client: Cluster;
const open = (name: string, prefix = 'bull') =>
  new Queue(name, { connection: client, prefix, skipMetasUpdate: true, skipVersionCheck: true });

beforeAll(async () => {
  cluster = await startCluster();
  client = cluster.client();
  for (const [name, prefix] of [
    ['{orders}', 'bull'],
    ['sms', '{sms}:jobs'],
  ] as const) {
    const q = new Queue(name, { connection: client, prefix });
    await q.addBulk([1, 2].map((i) => ({ name: 'j', data: { i } })));
    await q.add('later', {}, { delay: 60_000 });
    await q.add('later', {}, { delay: 60_000 });
    await q.close();
  }
});

afterAll(async () => {
  await cluster?.stop();
});

describe('job actions on a cluster', () => {
  it('promote one job, then the rest by filter; drain and obliterate another queue', async () => {
    const one = await runJson(['queues', 'job', '{orders}', '3', 'promote', '--yes', '--url', cluster.url]);
    expect(one.run.exitCode, one.run.stderr).toBe(0);
    expect(one.json).toMatchObject({ stateBefore: 'delayed', stateAfter: 'waiting' });
    const set = await runJson(['queues', 'jobs', '{orders}', 'promote', '--yes', '--url', cluster.url]);
    expect(set.json).toMatchObject({ ids: ['4'], changed: 1, skipped: [] });
    const orders = open('{orders}');
    expect(await orders.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 4, delayed: 0 });
    await orders.close();

    const drain = await runJson(['queues', 'drain', 'sms', '--yes', '--force', '--url', cluster.url]);
    expect(drain.json).toMatchObject({ went: { waiting: 2, prioritized: 0 }, gone: 2 });
    const gone = await runCli(['queues', 'obliterate', 'sms', '--yes', '--force', '--url', cluster.url]);
    expect(gone.stdout).toBe('✔ obliterated {sms}:jobs:sms: 2 jobs deleted (2 delayed)');
    const sms = open('sms', '{sms}:jobs');
    expect(await sms.getJobCounts()).toMatchObject({ waiting: 0, delayed: 0 });
    await sms.close();
  }, 60_000);
});
