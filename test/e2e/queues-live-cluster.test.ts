import { FlowProducer, Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';

/**
 * schedulers, flow and --watch on a 3-primary cluster, with hash-tagged prefixes as BullMQ
 * requires there: every read goes through the cluster client to the node holding the slot.
 */
let cluster: TestCluster;
let client: Cluster;
let rootId = '';

beforeAll(async () => {
  cluster = await startCluster();
  client = cluster.client();
  const q = new Queue('cron', { connection: client, prefix: '{sched}' });
  await q.upsertJobScheduler('every-minute', { pattern: '* * * * *' }, { name: 'tick' });
  await q.close();
  const flows = new FlowProducer({ connection: client, prefix: '{app}' });
  const tree = await flows.add({
    name: 'root',
    queueName: 'parents',
    children: [{ name: 'kid', queueName: 'kids', children: [{ name: 'grandkid', queueName: 'grandkids' }] }],
  });
  rootId = tree.job.id ?? '';
  await flows.close();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('the live commands on a cluster', () => {
  it('schedulers and flow read through the cluster client', async () => {
    const s = await runJson(['queues', 'schedulers', 'cron', '--url', cluster.url]);
    expect(s.run.exitCode).toBe(0);
    expect(s.json.schedulers[0]).toMatchObject({
      id: 'every-minute',
      kind: 'scheduler',
      pattern: '* * * * *',
    });
    const f = await runJson(['queues', 'flow', 'parents', rootId, '--url', cluster.url]);
    expect(f.run.exitCode).toBe(0);
    expect(f.json.nodes).toBe(3);
    expect(f.json.root.nodes[0].nodes[0]).toMatchObject({ name: 'grandkid', state: 'waiting' });
  });

  it('--watch prints NDJSON for every queue of every node', async () => {
    const run = await runCli(['queues', '--watch', '0.5', '--count', '2', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    const keys = lines[1].queues.map((q: { key: string }) => q.key).sort();
    expect(keys).toEqual(['{app}:grandkids', '{app}:kids', '{app}:parents', '{sched}:cron']);
    expect(
      lines[1].queues.every((q: { error: unknown; rates: unknown }) => q.error === null && q.rates !== null),
    ).toBe(true);
  });
});
