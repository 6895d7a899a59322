import { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';

let cluster: TestCluster;
let client: Cluster;
// Hash tags keep each queue's keys in one slot; these three tags hash to slots 105, 8507 and
// 13018, one on each primary of a 3-node cluster (0-5460, 5461-10922, 10923-16383).
const refs = [
  { name: '{orders}', prefix: 'bull' },
  { name: '{payments}', prefix: 'bull' },
  { name: 'sms', prefix: '{sms}:jobs' },
];

beforeAll(async () => {
  cluster = await startCluster({ acl: ['user nolua on >nolua-Pw-1 ~* &* +@all -@scripting'] });
  client = cluster.client();
  for (const [i, ref] of refs.entries()) {
    const q = new Queue(ref.name, { connection: client, prefix: ref.prefix });
    await q.addBulk(Array.from({ length: i + 1 }, () => ({ name: 'j', data: {} })));
    await q.add('later', {}, { delay: 60_000 });
    if (i === 2) await q.pause();
    await q.close();
  }
});

afterAll(async () => {
  await cluster?.stop();
});

describe('queues on a 3-primary cluster', () => {
  it('finds hash-tagged queues on every primary with counts equal to getJobCounts()', async () => {
    const { json, run } = await runJson(['queues', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    expect(json.cluster).toBe(true);
    expect(json.queues.map((q: { key: string }) => q.key).sort()).toEqual([
      'bull:{orders}',
      'bull:{payments}',
      '{sms}:jobs:sms',
    ]);
    for (const ref of refs) {
      const row = json.queues.find(
        (q: { prefix: string; name: string }) => q.prefix === ref.prefix && q.name === ref.name,
      );
      const q = new Queue(ref.name, {
        connection: client,
        prefix: ref.prefix,
        skipMetasUpdate: true,
        skipVersionCheck: true,
      });
      expect(row.counts).toEqual(await q.getJobCounts());
      expect(row.paused).toBe(await q.isPaused());
      await q.close();
    }
    // Each primary holds one of the queues.
    for (const node of cluster.nodes) {
      const c = node.client();
      const keys = (await c.call('SCAN', '0', 'MATCH', '*:meta', 'COUNT', '1000')) as [string, string[]];
      expect(keys[1]).toHaveLength(1);
    }
  });

  it('show and an action work through the cluster client', async () => {
    const { json } = await runJson(['queues', 'show', 'sms', '--url', cluster.url]);
    expect(json.queue.key).toBe('{sms}:jobs:sms');
    expect(json.paused).toBe(true);
    const run = await runCli(['queues', 'promote', '{orders}', '--yes', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    const q = new Queue('{orders}', { connection: client, skipMetasUpdate: true, skipVersionCheck: true });
    expect(await q.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 0, waiting: 2 });
    await q.close();
  });
});

describe('an untagged queue on a cluster', () => {
  beforeAll(async () => {
    // BullMQ's scripts cannot run for it (CROSSSLOT), so its keys are written one by one, the
    // way a queue created before the move to a cluster is left: they land on different nodes.
    await client.hset('bull:mail:meta', 'version', 'bullmq:6.7.0');
    await client.set('bull:mail:id', '2');
    await client.hset('bull:mail:1', 'name', 'x', 'data', '{}', 'timestamp', String(Date.now() - 5000));
    await client.hset('bull:mail:2', 'name', 'x', 'data', '{}', 'timestamp', String(Date.now()));
    await client.lpush('bull:mail:wait', '2');
    await client.zadd('bull:mail:failed', Date.now(), '1');
  });

  it('is one row, with the cluster problem named', async () => {
    const { json, run } = await runJson(['queues', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    const rows = json.queues.filter((q: { key: string }) => q.key === 'bull:mail');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ prefix: 'bull', name: 'mail', counts: null });
    expect(rows[0].error).toMatch(/^keys spread over cluster slots: "bull:mail" has no \{hash tag\}/);
    const text = await runCli(['queues', '--url', cluster.url]);
    expect(text.stdout).toMatch(/⚠ bull:mail: unreadable: keys spread over cluster slots/);
  });

  it('makes the gates fail, naming it', async () => {
    const { json, run } = await runJson(['queues', '--url', cluster.url, '--max-failed', '0']);
    expect(run.exitCode).toBe(1);
    expect(json.violations).toEqual([
      expect.objectContaining({
        queue: 'bull:mail',
        rule: 'unreadable',
        error: expect.stringMatching(/CROSSSLOT/),
      }),
    ]);
    const age = await runCli(['queues', '--url', cluster.url, '--max-waiting-age', '3600']);
    expect(age.exitCode).toBe(1);
    expect(age.stdout).toContain('✖ bull:mail: could not be read, so the gate cannot pass');
  });

  it('show names it without "exists under 2 prefixes"; actions refuse', async () => {
    const show = await runCli(['queues', 'show', 'mail', '--url', cluster.url]);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain('unreadable: keys spread over cluster slots');
    const pause = await runCli(['queues', 'pause', 'mail', '--yes', '--url', cluster.url]);
    expect(pause.exitCode).toBe(2);
    expect(pause.stderr).toMatch(/^✖ cannot pause bull:mail: keys spread over cluster slots/);
    expect(pause.stderr).toContain('hint: give the queue a prefix with a {hash tag}');
  });
});

describe('on a cluster where EVAL is denied', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  beforeAll(async () => {
    // A LIFO tail: the oldest job sits at the FIFO/LIFO boundary, not at either end.
    const q = new Queue('{lifo}', { connection: client });
    await q.add('old-fifo', {});
    await sleep(1500);
    await q.add('new-lifo', {}, { lifo: true });
    await q.add('new-lifo', {}, { lifo: true });
    await q.add('new-fifo', {});
    await q.close();
  });

  it('plain reads give the same counts and figures as the script, the LIFO boundary included', async () => {
    const url = cluster.url.replace('redis://', 'redis://nolua:nolua-Pw-1@');
    const plain = await runJson(['queues', '--url', url, '--max-waiting-age', '1']);
    expect(plain.json.countsFrom).toBe('pipeline');
    const lua = await runJson(['queues', '--url', cluster.url, '--max-waiting-age', '1']);
    expect(lua.json.countsFrom).toBe('lua');
    const strip = (rows: Array<Record<string, unknown>>) =>
      rows.map(({ oldestWaitingAgeMs: _a, ...rest }) => rest);
    expect(strip(plain.json.queues)).toEqual(strip(lua.json.queues));
    const age = (rows: Array<{ key: string; oldestWaitingAgeMs: number | null }>) =>
      rows.find((r) => r.key === 'bull:{lifo}')?.oldestWaitingAgeMs;
    expect(age(plain.json.queues)).toBeGreaterThanOrEqual(1500);
    expect(age(lua.json.queues)).toBeGreaterThanOrEqual(1500);
    // Both gates fail on it, and on the untagged queue they cannot read.
    for (const run of [plain, lua]) {
      expect(run.run.exitCode).toBe(1);
      const named = run.json.violations.map((v: { queue: string; rule: string }) => `${v.queue} ${v.rule}`);
      expect(named).toContain('bull:{lifo} max-waiting-age');
      expect(named).toContain('bull:mail unreadable');
    }
  });
});
