import { execa } from 'execa';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * stats --watch across a real cluster failover: a primary with a replica is killed, the replica
 * is promoted (cluster-node-timeout 5 s), and the watch follows the new map: rows name the node
 * that does not answer, mark the interval where the primaries changed, and count the new
 * primary's traffic afterwards (it used to show as 0 with no error).
 */
let cluster: TestCluster;
let replica: RedisServer;

beforeAll(async () => {
  cluster = await startCluster();
  replica = await startRedis({ cluster: true });
  const first = cluster.nodes[0] as RedisServer;
  const id = String(await first.client().call('CLUSTER', 'MYID'));
  await execa('redis-cli', [
    '--cluster',
    'add-node',
    `127.0.0.1:${replica.port}`,
    `127.0.0.1:${first.port}`,
    '--cluster-slave',
    '--cluster-master-id',
    id,
  ]);
  const r = replica.client();
  for (let i = 0; i < 200; i++) {
    if (/master_link_status:up/.test(await r.info('replication'))) break;
    await new Promise((res) => setTimeout(res, 100));
  }
}, 60_000);
afterAll(async () => {
  await replica?.stop();
  await cluster?.stop();
});

describe('stats --watch on a cluster', () => {
  it('follows a failover: marks the interval, then counts the new primary', async () => {
    const first = cluster.nodes[0] as RedisServer;
    const traffic = new Cluster([{ host: '127.0.0.1', port: (cluster.nodes[1] as RedisServer).port }], {
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
    });
    traffic.on('error', () => undefined);
    await traffic.set('probe', '1');
    // A hash tag whose slot the first primary owns: all traffic goes to the shard that fails over.
    const owned = traffic.slots.map((nodes) => nodes[0]);
    let tag = 0;
    while (owned[Number(await traffic.cluster('KEYSLOT', `{t${tag}}`))] !== `127.0.0.1:${first.port}`) tag++;
    const key = `{t${tag}}:k`;
    await traffic.set(key, 'v');
    let running = true;
    const load = (async () => {
      while (running) {
        await traffic.get(key).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();

    const watch = execa(binPath, ['stats', '--watch', '1', '--count', '16', '--json', '--url', cluster.url], {
      reject: false,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      extendEnv: false,
      timeout: 90_000,
    });
    await new Promise((r) => setTimeout(r, 2500));
    first.proc.kill('SIGKILL');
    const run = await watch;
    running = false;
    await load;
    traffic.disconnect();

    expect(run.exitCode).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { hits: number; topologyChanged: boolean; unreachable: string[] });
    expect(rows).toHaveLength(16);
    expect(rows[0]?.hits).toBeGreaterThan(0);
    const changed = rows.findIndex((r) => r.topologyChanged);
    expect(changed).toBeGreaterThan(0);
    expect(rows.some((r) => r.unreachable.includes(`127.0.0.1:${first.port}`))).toBe(true);
    // After the promotion the shard's traffic is counted again, on the new primary.
    expect(rows.at(-1)?.hits).toBeGreaterThan(0);
    expect(rows.at(-1)?.unreachable).toEqual([]);
  }, 120_000);
});
