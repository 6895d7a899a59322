import { stringify } from 'yaml';

/**
 * `init --topology sentinel`: a local HA set-up for development and failover testing: one
 * primary, two replicas, three sentinels. All six share one network namespace (a small `redis-net`
 * service that only holds the published ports), so the address the sentinels announce,
 * 127.0.0.1:<port>, is the same inside and on the host: the Docker/NAT announce trap cannot
 * happen, and no host networking is needed (Docker Desktop included). Ports are published on
 * 127.0.0.1 only; host and container ports are equal, or the announced addresses would be wrong.
 */
export interface TopologyNode {
  name: string;
  role: 'primary' | 'replica' | 'sentinel';
  port: number;
  /** Config file relative to the project directory. */
  conf: string;
}

export interface TopologyOptions {
  master: string;
  image: string;
  engine: 'redis' | 'valkey';
  dataPort: number;
  sentinelPort: number;
  password: boolean;
  envFile: string;
  /** Directory of the config files, relative to the project (redis/). */
  confDir: string;
}

export const QUORUM = 2;

export function topologyNodes(o: TopologyOptions): TopologyNode[] {
  return [
    { name: 'redis-primary', role: 'primary', port: o.dataPort, conf: `${o.confDir}/primary.conf` },
    { name: 'redis-replica-1', role: 'replica', port: o.dataPort + 1, conf: `${o.confDir}/replica-1.conf` },
    { name: 'redis-replica-2', role: 'replica', port: o.dataPort + 2, conf: `${o.confDir}/replica-2.conf` },
    ...[1, 2, 3].map((i) => ({
      name: `sentinel-${i}`,
      role: 'sentinel' as const,
      port: o.sentinelPort + i - 1,
      conf: `${o.confDir}/sentinel-${i}.conf`,
    })),
  ];
}

/** A data node's config: no secret in it (compose passes --requirepass/--masterauth). */
export function renderDataConf(n: TopologyNode, o: TopologyOptions): string {
  const lines = [
    `# ${o.engine} ${n.role} of the "${o.master}" Sentinel set-up, written by redis-ops init --topology sentinel.`,
    '# The password is not in this file: compose passes --requirepass and --masterauth from REDIS_PASSWORD.',
    '# Every interface inside the shared network namespace; compose publishes the ports on 127.0.0.1 only.',
    'bind * -::*',
    `protected-mode ${o.password ? 'no' : 'yes'}`,
    `port ${n.port}`,
    'appendonly yes',
    'appendfsync everysec',
    'maxmemory-policy noeviction',
  ];
  if (n.role === 'replica') {
    lines.push(
      `replicaof 127.0.0.1 ${o.dataPort}`,
      '# What the primary and the sentinels announce for this replica: reachable from the host.',
      'replica-announce-ip 127.0.0.1',
      `replica-announce-port ${n.port}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A sentinel's config, the part that is no secret (auth lines are appended at start). */
export function renderSentinelConf(n: TopologyNode, o: TopologyOptions): string {
  return `${[
    `# Sentinel ${n.name} for "${o.master}", written by redis-ops init --topology sentinel.`,
    '# Sentinel rewrites its config: compose copies this file to the data volume once and runs that copy.',
    `port ${n.port}`,
    `sentinel monitor ${o.master} 127.0.0.1 ${o.dataPort} ${QUORUM}`,
    `sentinel down-after-milliseconds ${o.master} 5000`,
    `sentinel failover-timeout ${o.master} 60000`,
    `sentinel parallel-syncs ${o.master} 1`,
    '# Announce the loopback address: clients on the host reach every node the sentinels name.',
    'sentinel announce-ip 127.0.0.1',
    `sentinel announce-port ${n.port}`,
  ].join('\n')}\n`;
}

const need = (envFile: string): string => `\${REDIS_PASSWORD:?set REDIS_PASSWORD in ${envFile}}`;

function dataService(n: TopologyNode, o: TopologyOptions): Record<string, unknown> {
  const mount =
    o.engine === 'valkey' ? '/usr/local/etc/valkey/valkey.conf' : '/usr/local/etc/redis/redis.conf';
  const command = [`${o.engine}-server`, mount];
  if (o.password) command.push('--requirepass', need(o.envFile), '--masterauth', need(o.envFile));
  return {
    image: o.image,
    depends_on: { 'redis-net': { condition: 'service_started' } },
    volumes: [`${n.name}-data:/data`, `./${n.conf}:${mount}:ro`],
    ...(o.password ? { environment: { REDISCLI_AUTH: need(o.envFile) } } : {}),
    network_mode: 'service:redis-net',
    command,
    restart: 'unless-stopped',
    healthcheck: healthcheck(o, n.port),
  };
}

function sentinelService(n: TopologyNode, o: TopologyOptions): Record<string, unknown> {
  // Copied once: a restarted sentinel keeps what it learnt (the current primary after a failover).
  const auth = o.password
    ? ` && printf 'requirepass "%s"\\nsentinel sentinel-pass "%s"\\nsentinel auth-pass ${o.master} "%s"\\n' "$$REDIS_PASSWORD" "$$REDIS_PASSWORD" "$$REDIS_PASSWORD" >> /data/sentinel.conf`
    : '';
  return {
    image: o.image,
    depends_on: { 'redis-primary': { condition: 'service_healthy' } },
    volumes: [`${n.name}-data:/data`, `./${n.conf}:/etc/sentinel.conf:ro`],
    ...(o.password
      ? { environment: { REDIS_PASSWORD: need(o.envFile), REDISCLI_AUTH: need(o.envFile) } }
      : {}),
    network_mode: 'service:redis-net',
    command: [
      'sh',
      '-c',
      `[ -f /data/sentinel.conf ] || { cp /etc/sentinel.conf /data/sentinel.conf${auth}; }; exec ${o.engine}-server /data/sentinel.conf --sentinel`,
    ],
    restart: 'unless-stopped',
    healthcheck: healthcheck(o, n.port),
  };
}

function healthcheck(o: TopologyOptions, port: number): Record<string, unknown> {
  return {
    // -e: exit non-zero on NOAUTH/WRONGPASS/LOADING; grep fails closed too.
    test: ['CMD-SHELL', `${o.engine}-cli -p ${port} -e ping | grep -q PONG`],
    interval: '10s',
    timeout: '3s',
    retries: 5,
    start_period: '10s',
  };
}

/** The compose document for the whole topology (a new file; no byte of another is touched). */
export function renderTopologyCompose(o: TopologyOptions): string {
  const nodes = topologyNodes(o);
  const services: Record<string, unknown> = {
    'redis-net': {
      image: o.image,
      // Holds the network namespace and the published ports for the six nodes below.
      ports: nodes.map((n) => `127.0.0.1:${n.port}:${n.port}`),
      command: ['sh', '-c', "trap 'exit 0' TERM; while :; do sleep 3600 & wait $$!; done"],
      restart: 'unless-stopped',
    },
  };
  for (const n of nodes) services[n.name] = n.role === 'sentinel' ? sentinelService(n, o) : dataService(n, o);
  const volumes = Object.fromEntries(nodes.map((n) => [`${n.name}-data`, {}]));
  const header = `# Redis Sentinel set-up for development and failover testing, written by redis-ops init --topology sentinel.
# Try a failover: redis-cli -p ${o.sentinelPort} ${o.password ? '-a "$REDIS_PASSWORD" ' : ''}SENTINEL FAILOVER ${o.master}
`;
  return (
    header +
    stringify({ services, volumes }, { lineWidth: 0, defaultStringType: 'PLAIN' }).replace(
      /^( {6}- )(127\.0\.0\.1:\d+:\d+)$/gm,
      '$1"$2"',
    )
  );
}

export function sentinelList(o: TopologyOptions): string {
  return topologyNodes(o)
    .filter((n) => n.role === 'sentinel')
    .map((n) => `127.0.0.1:${n.port}`)
    .join(',');
}

/** The URL apps and redis-ops use on the host; carries the password: never print it unmasked. */
export function topologyUrl(o: TopologyOptions, password: string | undefined): string {
  const pw = password ? encodeURIComponent(password) : '';
  return `redis+sentinel://${pw ? `default:${pw}@` : ''}${sentinelList(o)}/${o.master}${pw ? `?sentinelPassword=${pw}` : ''}`;
}
