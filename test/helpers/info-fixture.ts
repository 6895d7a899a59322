/** An INFO reply of a standalone 7.0 primary, with overrides: the stats unit tests' input. */
export const info = (over: Record<string, string | number> = {}): string =>
  Object.entries({
    redis_version: '7.0.15',
    role: 'master',
    uptime_in_seconds: 100,
    used_memory: 1048576,
    used_memory_peak: 2097152,
    maxmemory: 0,
    maxmemory_policy: 'noeviction',
    mem_fragmentation_ratio: 1.5,
    mem_fragmentation_bytes: 1000,
    keyspace_hits: 10,
    keyspace_misses: 5,
    evicted_keys: 0,
    expired_keys: 2,
    instantaneous_ops_per_sec: 12,
    total_commands_processed: 1000,
    connected_clients: 3,
    blocked_clients: 0,
    maxclients: 10000,
    rdb_last_bgsave_status: 'ok',
    db0: 'keys=80,expires=20,avg_ttl=5000',
    db2: 'keys=20,expires=0,avg_ttl=0',
    ...over,
  })
    .map(([k, v]) => `${k}:${v}`)
    .join('\r\n');
