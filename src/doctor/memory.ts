import { infoNumber } from '../redis/info.js';
import { formatBytes, formatCount } from '../ui/format.js';
import { errorCount, forQueues, keyspaceTotals, setting, sumNodes, type Facts } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/** Memory checks (thresholds of Redis's MEMORY DOCTOR, src/object.c, and BullMQ's noeviction rule, docs.bullmq.io/guide/going-to-production): policy by use, limit, usage, OOM, evictions, fragmentation. */

const bullmqWarning = (policy: string): string =>
  `IMPORTANT! Eviction policy is ${policy}. It should be "noeviction"`;

export function checkPolicy(facts: Facts): CheckResult {
  const id = 'mem.policy';
  const policy = setting(facts, 'maxmemory_policy', 'maxmemory-policy');
  if (facts.provider === 'elasticache-serverless' && forQueues(facts.use)) {
    return fail(
      id,
      `ElastiCache Serverless fixes the eviction policy at volatile-lru, which can evict queue keys (BullMQ: ${bullmqWarning(policy ?? 'volatile-lru')})`,
      'use a node-based ElastiCache cluster with a custom parameter group that sets maxmemory-policy noeviction',
    );
  }
  if (policy === undefined) {
    return skip(
      id,
      `the eviction policy is unknown: INFO has no maxmemory_policy and ${facts.config.unavailable ?? 'CONFIG GET gave no answer'}`,
    );
  }
  const elasticacheHint =
    facts.provider === 'elasticache'
      ? 'ElastiCache: create a custom parameter group with maxmemory-policy noeviction and attach it to the cluster'
      : 'set maxmemory-policy noeviction (CONFIG SET maxmemory-policy noeviction, and in redis.conf)';
  if (facts.use === 'queue') {
    if (policy === 'noeviction') return pass(id, 'maxmemory-policy is noeviction, as BullMQ requires');
    return fail(
      id,
      `maxmemory-policy is ${policy}: Redis may evict queue keys and lose jobs (BullMQ: ${bullmqWarning(policy)})`,
      elasticacheHint,
    );
  }
  if (facts.use === 'unknown') {
    if (policy === 'noeviction')
      return pass(
        id,
        `maxmemory-policy is noeviction: safe for queues (a cache gets OOM errors instead of evictions); ${facts.useReason}`,
      );
    return warn(
      id,
      `maxmemory-policy is ${policy}: right for a cache, but it loses jobs if this instance holds BullMQ queues; ${facts.useReason}`,
      'pass --use cache or --use queue (or use: in redis-ops.yaml) so doctor can judge the policy',
    );
  }
  if (facts.use === 'both') {
    if (policy !== 'noeviction')
      return fail(
        id,
        `maxmemory-policy is ${policy} on an instance that also holds queues: evictions lose jobs (BullMQ: ${bullmqWarning(policy)})`,
        `${elasticacheHint}; better, run two instances: noeviction for queues, allkeys-lru for the cache`,
      );
    return warn(
      id,
      'maxmemory-policy is noeviction for the queues, so cache keys are never evicted: a full cache makes writes fail (OOM) for the queues too',
      'run two instances: one with noeviction for queues, one with allkeys-lru for the cache',
    );
  }
  if (policy === 'allkeys-lru' || policy === 'allkeys-lfu')
    return pass(id, `maxmemory-policy is ${policy}, right for a cache`);
  if (policy === 'noeviction')
    return warn(
      id,
      'maxmemory-policy is noeviction: a full cache makes writes fail with OOM instead of evicting old keys',
      'set maxmemory-policy allkeys-lru (or allkeys-lfu) for a cache',
    );
  if (policy.startsWith('volatile-')) {
    const { keys, expires } = keyspaceTotals(facts);
    if (keys > 0 && expires * 2 < keys) {
      const share = Math.round(((keys - expires) / keys) * 100);
      return warn(
        id,
        `maxmemory-policy is ${policy}, but ${share}% of the keys have no TTL: those are never evicted, so it behaves like noeviction`,
        'set maxmemory-policy allkeys-lru, or give cache keys a TTL',
      );
    }
    return pass(id, `maxmemory-policy is ${policy}; most keys have a TTL`);
  }
  return pass(id, `maxmemory-policy is ${policy}`);
}

export function checkMaxmemory(facts: Facts): CheckResult {
  const id = 'mem.maxmemory';
  const raw = setting(facts, 'maxmemory', 'maxmemory');
  if (raw === undefined)
    return skip(
      id,
      `maxmemory is unknown: INFO has no maxmemory and ${facts.config.unavailable ?? 'CONFIG GET gave no answer'}`,
    );
  const max = Number(raw);
  const machine = infoNumber(facts.info, 'total_system_memory');
  if (max > 0 && machine && max > machine)
    return fail(
      id,
      `maxmemory ${formatBytes(max)} is more than the machine's ${formatBytes(machine)}: the OS kills Redis (OOM killer) before eviction or OOM errors start`,
      'set maxmemory below the memory Redis may use (leave room for forks and buffers: about 75% of the machine or container)',
    );
  if (max > 0) return pass(id, `maxmemory is ${formatBytes(max)}`);
  if (facts.provider === 'local') {
    return warn(
      id,
      'maxmemory is not set: Redis grows until the machine (or container) runs out of memory',
      'set maxmemory (e.g. maxmemory 256mb in redis.conf, or --maxmemory in compose)',
    );
  }
  return pass(id, 'maxmemory is not set (the provider or the host limits memory)');
}

/** Used memory against maxmemory, on the fullest primary. */
export function memoryUsage(facts: Facts): { pct: number; used: number; max: number } | undefined {
  let worst: { pct: number; used: number; max: number } | undefined;
  for (const node of facts.nodes) {
    const used = infoNumber(node, 'used_memory');
    const max = infoNumber(node, 'maxmemory') ?? Number(facts.config.values.maxmemory ?? 0);
    if (used === undefined || !max) continue;
    const pct = (used / max) * 100;
    if (!worst || pct > worst.pct) worst = { pct, used, max };
  }
  return worst;
}

export function checkUsage(facts: Facts): CheckResult {
  const id = 'mem.usage';
  const u = memoryUsage(facts);
  if (!u) return skip(id, 'no maxmemory limit to compare with');
  const text = `${u.pct.toFixed(1)}% of maxmemory used (${formatBytes(u.used)} of ${formatBytes(u.max)})`;
  const policy = setting(facts, 'maxmemory_policy', 'maxmemory-policy');
  // An allkeys-* cache lives at ~100% by design: judge its eviction rate and hit ratio instead.
  if (policy?.startsWith('allkeys-') && !forQueues(facts.use)) {
    const evicted = sumNodes(facts, 'evicted_keys') ?? 0;
    const uptime = infoNumber(facts.info, 'uptime_in_seconds') ?? 0;
    const hits = sumNodes(facts, 'keyspace_hits') ?? 0;
    const misses = sumNodes(facts, 'keyspace_misses') ?? 0;
    const ratio = hits + misses > 0 ? hits / (hits + misses) : undefined;
    const rate = uptime > 0 ? evicted / uptime : 0;
    const judged = `${text} under ${policy}, which evicts as it fills: ${formatCount(evicted)} evictions (${rate < 10 ? rate.toFixed(2) : Math.round(rate)}/s since the start)${ratio === undefined ? '' : `, hit ratio ${ratio.toFixed(3)}`}`;
    if (evicted > 0 && ratio !== undefined && hits + misses >= 1000 && ratio < 0.5)
      return warn(
        id,
        `${judged}: the cache evicts keys it still needs`,
        'raise maxmemory (the working set does not fit), or cache fewer/smaller values',
      );
    return pass(id, judged);
  }
  const hint = forQueues(facts.use)
    ? 'raise maxmemory or clean old jobs (completed/failed) before writes fail with OOM'
    : 'raise maxmemory, or check that keys expire';
  if (u.pct > 95) return fail(id, text, hint);
  if (u.pct > 80) return warn(id, text, hint);
  return pass(id, text);
}

export function checkOom(facts: Facts): CheckResult {
  const id = 'mem.oom';
  if (facts.provider === 'upstash') return skip(id, 'Upstash does not report errorstats');
  const n = errorCount(facts, 'OOM');
  if (n > 0)
    return fail(
      id,
      `${n} command(s) were refused with OOM since the last restart`,
      'memory was full: raise maxmemory, free keys, or (for a cache) use allkeys-lru',
    );
  return pass(id, 'no command was refused with OOM');
}

export function checkEvictions(facts: Facts): CheckResult {
  const id = 'mem.evictions';
  const n = sumNodes(facts, 'evicted_keys');
  if (n === undefined) return skip(id, 'INFO stats has no evicted_keys');
  if (n === 0) return pass(id, 'no keys were evicted');
  if (forQueues(facts.use))
    return fail(
      id,
      `${formatCount(n)} keys were evicted since the last restart: evicted queue keys are lost jobs`,
      'set maxmemory-policy noeviction and give Redis enough memory',
    );
  if (facts.use === 'unknown')
    return warn(
      id,
      `${formatCount(n)} keys were evicted since the last restart: normal for a cache, lost jobs if this instance holds queues`,
      'pass --use so doctor can judge evictions',
    );
  return pass(id, `${formatCount(n)} keys were evicted since the last restart (normal for a full cache)`);
}

export function checkFragmentation(facts: Facts): CheckResult {
  const id = 'mem.fragmentation';
  const ratio = infoNumber(facts.info, 'mem_fragmentation_ratio');
  const bytes = infoNumber(facts.info, 'mem_fragmentation_bytes');
  const used = infoNumber(facts.info, 'used_memory');
  if (ratio === undefined || bytes === undefined) return skip(id, 'INFO memory has no fragmentation figures');
  // Like MEMORY DOCTOR: on a near-empty instance the ratio is dominated by the allocator's baseline.
  if ((used ?? 0) < 5 * 1024 * 1024 || Math.abs(bytes) <= 10 * 1024 * 1024) {
    return pass(
      id,
      `fragmentation ratio ${ratio} (${formatBytes(bytes)}): too little memory involved to matter`,
    );
  }
  if (ratio < 1)
    return warn(
      id,
      `fragmentation ratio ${ratio} < 1: part of Redis's memory is swapped out, which makes it slow`,
      'give the host more memory or lower maxmemory; Redis must not swap',
    );
  if (ratio > 1.5)
    return warn(
      id,
      `fragmentation ratio ${ratio} (${formatBytes(bytes)} wasted)`,
      'enable activedefrag yes, or restart the instance during a quiet period',
    );
  return pass(id, `fragmentation ratio ${ratio}`);
}
