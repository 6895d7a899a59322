import type { DiscoveredQueue } from '../../src/queues/discover.js';
import type { Facts } from '../../src/doctor/facts.js';
import type { InfoRecord } from '../../src/redis/info.js';

/** A healthy local standalone Redis 7 used as a cache; tests override what they look at. */
export function makeFacts(over: Partial<Facts> & { infoOver?: InfoRecord } = {}): Facts {
  const info: InfoRecord = {
    redis_version: '7.0.15',
    role: 'master',
    connected_clients: '1',
    maxclients: '10000',
    used_memory: '1000000',
    maxmemory: '100000000',
    maxmemory_policy: 'allkeys-lru',
    mem_fragmentation_ratio: '1.1',
    mem_fragmentation_bytes: '100000',
    rdb_last_bgsave_status: 'ok',
    aof_enabled: '0',
    aof_last_write_status: 'ok',
    aof_last_bgrewrite_status: 'ok',
    rejected_connections: '0',
    evicted_keys: '0',
    keyspace_hits: '90',
    keyspace_misses: '10',
    connected_slaves: '0',
    total_system_memory: '1000000000',
    ...over.infoOver,
  };
  const { infoOver: _ignored, ...rest } = over;
  const config = over.config ?? {
    values: { bind: '127.0.0.1', appendfsync: 'everysec', 'slowlog-log-slower-than': '10000' },
    unavailable: null,
  };
  return {
    info,
    nodes: [info],
    nodeNames: ['127.0.0.1:6379'],
    server: { engine: 'redis', version: '7.0.15', mode: 'standalone', role: 'master' },
    provider: 'local',
    host: '127.0.0.1',
    hasPassword: false,
    username: 'default',
    isCluster: false,
    use: 'cache',
    useSource: 'flag',
    useReason: '--use cache',
    unauthPing: { reply: '+PONG', error: null },
    acl: {
      users: [{ name: 'default', enabled: true, nopass: true, rules: 'on nopass ~* &* +@all' }],
      unavailable: null,
    },
    probe: null,
    tls: false,
    latency: { events: [], unavailable: null },
    errorWindow: { before: {}, after: {}, ms: 100 },
    clusterNodes: null,
    dangerous: [],
    config,
    configs: [config],
    slowlog: { entries: [], own: 0, old: 0, unavailable: null },
    scripting: { denied: [], method: 'acl-dryrun', unavailable: null },
    queues: [],
    queuesUnavailable: null,
    ...rest,
  };
}

export const queue = (base: string): DiscoveredQueue => {
  const [prefix, ...name] = base.split(':');
  return {
    base,
    prefix: prefix ?? '',
    name: name.join(':'),
    version: 'bullmq:6.7.0',
    node: 0,
    split: 'first-segment',
  };
};
