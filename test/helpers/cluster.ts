import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Cluster } from 'ioredis';
import { startRedis, type RedisServer, type RedisServerOptions } from './redis-server.js';

/** A 3-primary cluster (no replicas) built with redis-cli --cluster create. */
export interface TestCluster {
  nodes: RedisServer[];
  url: string;
  client(): Cluster;
  stop(): Promise<void>;
}

export async function startCluster(opts: RedisServerOptions = {}, size = 3): Promise<TestCluster> {
  const nodes = await Promise.all(Array.from({ length: size }, () => startRedis({ ...opts, cluster: true })));
  const args = [
    '--cluster',
    'create',
    ...nodes.map((n) => `127.0.0.1:${n.port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ];
  if (opts.password) args.push('-a', opts.password, '--no-auth-warning');
  if (opts.tls) args.push('--tls', '--cacert', opts.tls.ca);
  execFileSync('redis-cli', args, { stdio: 'ignore', timeout: 30_000 });
  // Wait until every node agrees the cluster is ok.
  const until = Date.now() + 20_000;
  for (const n of nodes) {
    const c = n.client();
    for (;;) {
      const info = String(await c.call('CLUSTER', 'INFO'));
      if (info.includes('cluster_state:ok')) break;
      if (Date.now() > until) throw new Error('cluster did not become ok');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const first = nodes[0] as RedisServer;
  const clients: Cluster[] = [];
  return {
    nodes,
    url: first.url,
    client() {
      const tls = opts.tls ? { ca: [readFileSync(opts.tls.ca)], servername: 'localhost' } : undefined;
      const c = new Cluster([{ host: '127.0.0.1', port: first.port }], {
        redisOptions: { password: opts.password, tls },
        dnsLookup: (a, cb) => cb(null, a),
      });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
