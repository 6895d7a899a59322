import { describe, expect, it } from 'vitest';
import {
  checkEvictions,
  checkFragmentation,
  checkMaxmemory,
  checkOom,
  checkPolicy,
  checkUsage,
} from '../../src/doctor/memory.js';
import { makeFacts } from '../helpers/doctor-facts.js';

describe('mem.policy', () => {
  it('queue: noeviction passes, anything else fails quoting BullMQ', () => {
    expect(
      checkPolicy(makeFacts({ use: 'queue', infoOver: { maxmemory_policy: 'noeviction' } })).status,
    ).toBe('pass');
    const r = checkPolicy(makeFacts({ use: 'queue', infoOver: { maxmemory_policy: 'allkeys-lru' } }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('IMPORTANT! Eviction policy is allkeys-lru. It should be "noeviction"');
  });
  it('cache: allkeys-* pass, noeviction warns, volatile-* warns when most keys have no TTL', () => {
    expect(checkPolicy(makeFacts({ infoOver: { maxmemory_policy: 'allkeys-lfu' } })).status).toBe('pass');
    expect(checkPolicy(makeFacts({ infoOver: { maxmemory_policy: 'noeviction' } })).status).toBe('warn');
    const noTtl = checkPolicy(
      makeFacts({ infoOver: { maxmemory_policy: 'volatile-lru', db0: 'keys=100,expires=10,avg_ttl=0' } }),
    );
    expect(noTtl.status).toBe('warn');
    expect(noTtl.message).toMatch(/90% of the keys have no TTL/);
    expect(
      checkPolicy(
        makeFacts({ infoOver: { maxmemory_policy: 'volatile-lru', db0: 'keys=100,expires=90,avg_ttl=0' } }),
      ).status,
    ).toBe('pass');
  });
  it('both on one instance: warn with noeviction (two instances), fail otherwise', () => {
    const r = checkPolicy(makeFacts({ use: 'both', infoOver: { maxmemory_policy: 'noeviction' } }));
    expect(r.status).toBe('warn');
    expect(r.hint).toMatch(/two instances/);
    expect(checkPolicy(makeFacts({ use: 'both' })).status).toBe('fail');
  });
  it('provider rules: ElastiCache serverless + queue fails; ElastiCache + queue hints at a parameter group', () => {
    const sls = checkPolicy(
      makeFacts({
        use: 'queue',
        provider: 'elasticache-serverless',
        infoOver: { maxmemory_policy: 'volatile-lru' },
      }),
    );
    expect(sls.status).toBe('fail');
    expect(sls.message).toMatch(/fixes the eviction policy at volatile-lru/);
    const ec = checkPolicy(
      makeFacts({ use: 'queue', provider: 'elasticache', infoOver: { maxmemory_policy: 'volatile-lru' } }),
    );
    expect(ec.status).toBe('fail');
    expect(ec.hint).toMatch(/custom parameter group/);
  });
  it('unknown policy (Upstash: not in INFO, CONFIG GET empty) is skip with the reason, never fail', () => {
    const r = checkPolicy(
      makeFacts({
        use: 'queue',
        provider: 'upstash',
        infoOver: { maxmemory_policy: undefined as unknown as string },
        config: { values: {}, unavailable: 'CONFIG GET answers empty on this server' },
      }),
    );
    expect(r.status).toBe('skip');
    expect(r.message).toMatch(/CONFIG GET answers empty/);
  });
  it('reads the policy from CONFIG when INFO lacks it', () => {
    const f = makeFacts({ use: 'queue', infoOver: { maxmemory_policy: undefined as unknown as string } });
    delete f.info.maxmemory_policy;
    f.config.values['maxmemory-policy'] = 'noeviction';
    expect(checkPolicy(f).status).toBe('pass');
  });
});

describe('memory', () => {
  it('mem.maxmemory: unset on a local server warns, set passes, unset elsewhere passes', () => {
    expect(checkMaxmemory(makeFacts({ infoOver: { maxmemory: '0' } })).status).toBe('warn');
    expect(checkMaxmemory(makeFacts()).status).toBe('pass');
    expect(checkMaxmemory(makeFacts({ provider: 'generic', infoOver: { maxmemory: '0' } })).status).toBe(
      'pass',
    );
  });
  it('mem.usage: > 80% warns, > 95% fails, no limit skips (noeviction)', () => {
    const noev = (used: string) =>
      makeFacts({ infoOver: { used_memory: used, maxmemory_policy: 'noeviction' } });
    expect(checkUsage(noev('50000000')).status).toBe('pass');
    expect(checkUsage(noev('85000000')).status).toBe('warn');
    expect(checkUsage(noev('96000000')).status).toBe('fail');
    expect(checkUsage(makeFacts({ infoOver: { maxmemory: '0' } })).status).toBe('skip');
  });
  it('mem.usage: a full allkeys-lru cache is judged by evictions and hit ratio, not usage', () => {
    const full = { used_memory: '99000000', evicted_keys: '5000', uptime_in_seconds: '1000' };
    const ok = checkUsage(
      makeFacts({ infoOver: { ...full, keyspace_hits: '9000', keyspace_misses: '1000' } }),
    );
    expect(ok.status).toBe('pass');
    expect(ok.message).toMatch(
      /99\.0% of maxmemory used .* under allkeys-lru.*5,000 evictions \(5\.00\/s.*hit ratio 0\.900/,
    );
    const thrash = checkUsage(
      makeFacts({ infoOver: { ...full, keyspace_hits: '100', keyspace_misses: '9900' } }),
    );
    expect(thrash.status).toBe('warn');
    expect(thrash.message).toMatch(/evicts keys it still needs/);
    // For queues an evicting policy is wrong anyway (mem.policy fails); usage keeps its thresholds.
    expect(checkUsage(makeFacts({ use: 'queue', infoOver: full })).status).toBe('fail');
  });
  it('mem.oom: errorstat_OOM fails; Upstash skips', () => {
    expect(checkOom(makeFacts()).status).toBe('pass');
    expect(checkOom(makeFacts({ infoOver: { errorstat_OOM: 'count=3' } })).message).toMatch(/^3 command/);
    expect(checkOom(makeFacts({ infoOver: { errorstat_OOM: 'count=3' } })).status).toBe('fail');
    expect(checkOom(makeFacts({ provider: 'upstash' })).status).toBe('skip');
  });
  it('mem.evictions: fail for queues, informative pass for a cache', () => {
    expect(checkEvictions(makeFacts({ use: 'queue', infoOver: { evicted_keys: '5' } })).status).toBe('fail');
    const cache = checkEvictions(makeFacts({ infoOver: { evicted_keys: '5' } }));
    expect(cache.status).toBe('pass');
    expect(cache.message).toMatch(/5 keys were evicted/);
  });
  it('mem.fragmentation: only with > 10 MB involved; < 1 means swapping', () => {
    expect(
      checkFragmentation(
        makeFacts({
          infoOver: {
            mem_fragmentation_ratio: '12',
            mem_fragmentation_bytes: '11000000',
            used_memory: '900000',
          },
        }),
      ).status,
    ).toBe('pass');
    expect(
      checkFragmentation(
        makeFacts({
          infoOver: {
            mem_fragmentation_ratio: '1.8',
            mem_fragmentation_bytes: '80000000',
            used_memory: '100000000',
          },
        }),
      ).status,
    ).toBe('warn');
    const swap = checkFragmentation(
      makeFacts({
        infoOver: {
          mem_fragmentation_ratio: '0.7',
          mem_fragmentation_bytes: '-30000000',
          used_memory: '100000000',
        },
      }),
    );
    expect(swap.status).toBe('warn');
    expect(swap.message).toMatch(/swapped/);
    expect(
      checkFragmentation(
        makeFacts({
          infoOver: {
            mem_fragmentation_ratio: '1.2',
            mem_fragmentation_bytes: '20000000',
            used_memory: '100000000',
          },
        }),
      ).status,
    ).toBe('pass');
  });
});

describe('SRE checks (pure, from facts)', () => {
  it('mem.maxmemory: more than the machine fails', () => {
    const r = checkMaxmemory(
      makeFacts({ infoOver: { maxmemory: String(64 * 2 ** 30), total_system_memory: String(16 * 2 ** 30) } }),
    );
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/more than the machine's 16\.0 GiB/);
  });
});
