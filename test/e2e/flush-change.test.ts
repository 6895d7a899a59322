import { execa } from 'execa';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush } from '../../src/commands/flush/run.js';
import { resolveTarget } from '../../src/redis/target.js';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * flush while the server changes under it, and on servers that refuse what it sends: a real
 * `redis-cli --cluster reshard` during the run, a slot left half-migrated (SETSLOT + MIGRATE),
 * UNLINK renamed away or denied by the ACL, a replica, keys written while the prompt waits.
 */
async function fill(client: Redis | import('ioredis').Cluster, names: string[]): Promise<void> {
  // Plain SETs in parallel (a cluster pipeline must stay within one slot).
  for (let i = 0; i < names.length; i += 1000)
    await Promise.all(names.slice(i, i + 1000).map((n) => client.set(n, 'v')));
}

async function countMatching(nodes: Redis[], match: string): Promise<number> {
  let n = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
  }
  return n;
}

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('flush on a cluster whose slots move', () => {
  let cluster: TestCluster;
  let nodes: Redis[];
  beforeAll(async () => {
    cluster = await startCluster();
    nodes = cluster.nodes.map((n) => n.client());
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('finishes in one run during redis-cli --cluster reshard, with exact deletions', async () => {
    await fill(cluster.client(), [...names('cache:', 20_000), ...names('keep:', 2000)]);
    const ids = await Promise.all(nodes.map(async (n) => String(await n.call('CLUSTER', 'MYID'))));
    const first = cluster.nodes[0] as RedisServer;
    // Moving 4000 slots with 10 keys per MIGRATE takes seconds: the flush runs inside it.
    const reshard = execa(
      'redis-cli',
      [
        '--cluster',
        'reshard',
        `127.0.0.1:${first.port}`,
        '--cluster-from',
        ids[0] as string,
        '--cluster-to',
        ids[1] as string,
        '--cluster-slots',
        '4000',
        '--cluster-pipeline',
        '10',
        '--cluster-yes',
      ],
      { reject: false, timeout: 120_000 },
    );
    await new Promise((r) => setTimeout(r, 300));
    const { json, run } = await runJson(
      ['flush', 'cache:', '--yes', '--count', '200', '--rate', '8000', '--url', cluster.url],
      { timeoutMs: 120_000 },
    );
    const resharded = await reshard;
    expect(resharded.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ status: 'done', deleted: 20_000, error: null });
    // The slot map changed under the run: it scanned every primary of the new map again.
    expect(json.passes).toBeGreaterThanOrEqual(1);
    expect(await countMatching(nodes, 'cache:*')).toBe(0);
    expect(await countMatching(nodes, 'keep:*')).toBe(2000);
  }, 150_000);

  it('deletes every key of a half-migrated slot (IMPORTING/MIGRATING + MIGRATE) in one run', async () => {
    const c = cluster.client();
    const slot = Number(await c.cluster('KEYSLOT', 'hm'));
    const inSlot = names('cache:{hm}:', 2000);
    await fill(c, [...inSlot, ...names('cache:', 3000), ...names('keep:{hm}:', 100)]);
    const counts = await Promise.all(
      nodes.map(async (n) => Number(await n.call('CLUSTER', 'COUNTKEYSINSLOT', slot))),
    );
    const from = counts.findIndex((n) => n > 0);
    const to = (from + 1) % nodes.length;
    const source = nodes[from] as Redis;
    const dest = nodes[to] as Redis;
    const [sourceId, destId] = await Promise.all([
      source.call('CLUSTER', 'MYID'),
      dest.call('CLUSTER', 'MYID'),
    ]);
    await dest.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', String(sourceId));
    await source.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', String(destId));
    const destPort = (cluster.nodes[to] as RedisServer).port;
    await source.call('MIGRATE', '127.0.0.1', destPort, '', 0, 5000, 'KEYS', ...inSlot.slice(0, 1000));
    expect(Number(await dest.call('CLUSTER', 'COUNTKEYSINSLOT', slot))).toBe(1000);

    const { json, run } = await runJson(['flush', 'cache:', '--yes', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ status: 'done', deleted: 5000, error: null });
    // Keys were redirected (MOVED, then ASK): one more pass made sure nothing was left.
    expect(json.passes).toBeGreaterThanOrEqual(1);
    expect(await countMatching(nodes, 'cache:*')).toBe(0);
    expect(await countMatching(nodes, 'keep:*')).toBe(2100);
  }, 60_000);
});

describe('flush where UNLINK is missing or denied', () => {
  const servers: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });
  const start = async (opts: Parameters<typeof startRedis>[0]): Promise<RedisServer> => {
    const s = await startRedis(opts);
    servers.push(s);
    return s;
  };

  it('falls back to DEL for the whole run when UNLINK is renamed away', async () => {
    const s = await start({ config: ['rename-command UNLINK ""'] });
    await fill(s.client(), [...names('cache:', 5000), ...names('keep:', 50)]);
    const { json, run } = await runJson(['flush', 'cache:', '--yes', '--count', '100', '--url', s.url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ status: 'done', deleted: 5000, command: 'DEL' });
    expect(await countMatching([s.client()], '*')).toBe(50);
  });

  it('falls back to DEL when the ACL user lacks UNLINK (NOPERM)', async () => {
    const s = await start({ acl: ['user app on >pw ~* &* +@all -unlink'] });
    await fill(s.client(), [...names('cache:', 5000), ...names('keep:', 50)]);
    const url = `redis://app:pw@127.0.0.1:${s.port}`;
    const { json, run } = await runJson(['flush', 'cache:', '--yes', '--count', '100', '--url', url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ status: 'done', deleted: 5000, command: 'DEL' });
    expect(await countMatching([s.client()], '*')).toBe(50);
  });

  it('names NOPERM when neither UNLINK nor DEL is allowed, exit 2, no re-run advice', async () => {
    const s = await start({ acl: ['user ro on >pw ~* &* +@read +@connection +info'] });
    await fill(s.client(), names('cache:', 300));
    const run = await runCli(['flush', 'cache:', '--yes', '--url', `redis://ro:pw@127.0.0.1:${s.port}`]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('the ACL user may not delete these keys (NOPERM');
    expect(run.stderr).toContain('ACL SETUSER');
    expect(run.stderr + run.stdout).not.toMatch(/again/);
    expect(run.stderr).not.toContain('pw@');
    expect(await countMatching([s.client()], '*')).toBe(300);
  });

  it('refuses a replica before counting and names its primary', async () => {
    const primary = await start({});
    const replica = await start({ config: [`replicaof 127.0.0.1 ${primary.port}`] });
    await fill(primary.client(), names('cache:', 200));
    for (let i = 0; i < 100 && (await replica.client().dbsize()) < 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    const run = await runCli(['flush', 'cache:', '--yes', '--url', replica.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`is a replica of 127.0.0.1:${primary.port}: flush deletes on the primary`);
    expect(run.stderr).toContain(`point --url at the primary 127.0.0.1:${primary.port}`);
    expect(run.stderr).not.toMatch(/again/);
    expect(await primary.client().dbsize()).toBe(200);
  });

  it('deletes keys written while the prompt waited (a final SCAN pass after the confirmation)', async () => {
    const s = await start({});
    await fill(s.client(), [...names('cache:', 3000), ...names('keep:', 10)]);
    const result = await flush({
      target: resolveTarget({ url: s.url }, {}, process.cwd()),
      prefixes: ['cache:'],
      dryRun: false,
      yes: false,
      includeQueues: false,
      count: 1000,
      interactive: true,
      progress: false,
      confirm: async (_summary, expected) => {
        await fill(s.client(), names('cache:late:', 2000));
        return expected === 'cache:';
      },
    });
    expect(result).toMatchObject({ status: 'done', matched: 3000, deleted: 5000 });
    expect(await countMatching([s.client()], '*')).toBe(10);
  });
});
