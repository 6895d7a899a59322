import { describe, expect, it } from 'vitest';
import { checkHashTags, checkScripting, checkVersion, hasHashTag } from '../../src/doctor/bullmq.js';
import { checkHeadroom, checkRejected, checkSlowlog } from '../../src/doctor/clients.js';
import type { UseProbe } from '../../src/doctor/use-probe.js';
import { inferUse } from '../../src/doctor/gather.js';
import { describeUse, fitnessIds, runFitness, skipFitness } from '../../src/doctor/fitness.js';
import {
  checkEvictions,
  checkFragmentation,
  checkMaxmemory,
  checkOom,
  checkPolicy,
  checkUsage,
} from '../../src/doctor/memory.js';
import { checkPersistQueue, checkPersistStatus, checkReplication } from '../../src/doctor/persistence.js';
import { checkAuth, checkProviderFit } from '../../src/doctor/security.js';
import { makeFacts, queue } from '../helpers/doctor-facts.js';

const blocked = {
  values: {},
  unavailable: "CONFIG is blocked or renamed on this server (ERR unknown command 'CONFIG')",
};

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

describe('persistence and replication', () => {
  it('persist.status: any status other than ok fails; no persistence section skips', () => {
    expect(checkPersistStatus(makeFacts()).status).toBe('pass');
    const r = checkPersistStatus(makeFacts({ infoOver: { rdb_last_bgsave_status: 'err' } }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('rdb_last_bgsave_status:err');
    const up = makeFacts();
    for (const k of ['rdb_last_bgsave_status', 'aof_last_write_status', 'aof_last_bgrewrite_status'])
      delete up.info[k];
    expect(checkPersistStatus(up).status).toBe('skip');
  });
  it('persist.queue: queue without AOF warns; AOF everysec passes; cache skips', () => {
    expect(checkPersistQueue(makeFacts({ use: 'queue' })).status).toBe('warn');
    expect(checkPersistQueue(makeFacts({ use: 'queue', infoOver: { aof_enabled: '1' } })).status).toBe(
      'pass',
    );
    expect(checkPersistQueue(makeFacts()).status).toBe('skip');
  });
  it('repl.link: link down fails, lag > 10 s warns, no replicas skips', () => {
    expect(
      checkReplication(
        makeFacts({
          infoOver: {
            role: 'slave',
            master_host: '10.0.0.1',
            master_port: '6379',
            master_link_status: 'down',
          },
        }),
      ).status,
    ).toBe('fail');
    expect(
      checkReplication(
        makeFacts({
          infoOver: { role: 'slave', master_link_status: 'up', master_last_io_seconds_ago: '30' },
        }),
      ).status,
    ).toBe('warn');
    expect(checkReplication(makeFacts()).status).toBe('skip');
    expect(
      checkReplication(
        makeFacts({ infoOver: { slave0: 'ip=10.0.0.2,port=6379,state=online,offset=1,lag=0' } }),
      ).status,
    ).toBe('pass');
    expect(
      checkReplication(
        makeFacts({ infoOver: { slave0: 'ip=10.0.0.2,port=6379,state=online,offset=1,lag=20' } }),
      ).status,
    ).toBe('warn');
  });
});

describe('clients, security, latency', () => {
  it('clients.headroom and clients.rejected', () => {
    expect(
      checkHeadroom(makeFacts({ infoOver: { connected_clients: '90', maxclients: '100' } })).status,
    ).toBe('warn');
    expect(checkHeadroom(makeFacts()).status).toBe('pass');
    expect(checkRejected(makeFacts({ infoOver: { rejected_connections: '2' } })).status).toBe('warn');
    expect(checkRejected(makeFacts()).status).toBe('pass');
  });
  it('sec.auth: decided by an unauthenticated PING, not by the client password', () => {
    expect(checkAuth(makeFacts({ host: 'redis.example.com', provider: 'generic' })).status).toBe('fail');
    expect(checkAuth(makeFacts()).status).toBe('pass');
    expect(checkAuth(makeFacts({ config: { values: { bind: '0.0.0.0' }, unavailable: null } })).status).toBe(
      'fail',
    );
    expect(checkAuth(makeFacts({ config: { values: { bind: '* -::*' }, unavailable: null } })).status).toBe(
      'fail',
    );
    const s = checkAuth(makeFacts({ config: blocked }));
    expect(s.status).toBe('warn');
    expect(s.message).toMatch(/CONFIG is blocked/);
    // The client has a password, but the server answered PONG without one: nopass accepts anything.
    const open = checkAuth(makeFacts({ hasPassword: true, host: 'redis.example.com' }));
    expect(open.status).toBe('fail');
    expect(open.message).toMatch(/not needed: the default user is nopass/);
    const closed = { reply: '-NOAUTH Authentication required.', error: null };
    const users = (names: string[]) => ({
      users: [
        { name: 'default', enabled: true, nopass: false, rules: 'on ~* +@all' },
        ...names.map((name) => ({ name, enabled: true, nopass: true, rules: 'on nopass ~* +@all' })),
        { name: 'old', enabled: false, nopass: true, rules: 'off nopass' },
      ],
      unavailable: null,
    });
    expect(checkAuth(makeFacts({ hasPassword: true, unauthPing: closed, acl: users([]) })).status).toBe(
      'pass',
    );
    const second = checkAuth(makeFacts({ hasPassword: true, unauthPing: closed, acl: users(['reporting']) }));
    expect(second.status).toBe('warn');
    expect(second.message).toMatch(/user reporting is nopass/);
    const mine = checkAuth(
      makeFacts({ hasPassword: true, username: 'app', unauthPing: closed, acl: users(['app']) }),
    );
    expect(mine.status).toBe('fail');
    expect(
      checkAuth(
        makeFacts({
          unauthPing: closed,
          acl: { users: null, unavailable: 'this user may not run ACL LIST' },
        }),
      ).message,
    ).toMatch(/may not run ACL LIST/);
    expect(checkAuth(makeFacts({ unauthPing: { reply: null, error: 'timeout' } })).status).toBe('skip');
  });
  it('latency.slowlog names the top commands; SLOWLOG unavailable skips', () => {
    const r = checkSlowlog(
      makeFacts({
        slowlog: {
          entries: [
            { durationUs: 20000, command: 'KEYS' },
            { durationUs: 15000, command: 'KEYS' },
            { durationUs: 12000, command: 'HGETALL' },
          ],
          own: 4,
          old: 0,
          unavailable: null,
        },
      }),
    );
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(
      /3 slow log entries slower than 10000 µs in the last hour \(slowest 20\.0 ms\): KEYS ×2, HGETALL ×1 \(left out: 4 of doctor's own\)/,
    );
    expect(
      checkSlowlog(
        makeFacts({ slowlog: { entries: [], own: 0, old: 0, unavailable: 'SLOWLOG is not available: x' } }),
      ).status,
    ).toBe('skip');
  });
  it('provider.fit: Upstash + queue warns about polling cost', () => {
    const r = checkProviderFit(makeFacts({ use: 'queue', provider: 'upstash' }));
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/poll/);
    expect(checkProviderFit(makeFacts({ provider: 'upstash' })).status).toBe('pass');
    expect(checkProviderFit(makeFacts({ use: 'queue', provider: 'elasticache-serverless' })).status).toBe(
      'fail',
    );
  });
});

describe('bullmq', () => {
  it('bullmq.version: < 5 fails, < 6.2 warns, Valkey not judged by Redis numbers', () => {
    const v = (version: string, engine: 'redis' | 'valkey' = 'redis') =>
      checkVersion(
        makeFacts({ use: 'queue', server: { engine, version, mode: 'standalone', role: 'master' } }),
      ).status;
    expect(v('4.0.14')).toBe('fail');
    expect(v('6.0.9')).toBe('warn');
    expect(v('7.2.4')).toBe('pass');
    expect(v('4.0.0', 'valkey')).toBe('pass');
  });
  it('bullmq.scripting: denied EVAL fails, unknown skips', () => {
    expect(checkScripting(makeFacts({ use: 'queue' })).status).toBe('pass');
    const r = checkScripting(
      makeFacts({
        use: 'queue',
        username: 'app',
        scripting: { denied: ['EVAL', 'EVALSHA'], method: 'acl-dryrun', unavailable: null },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.hint).toMatch(/ACL SETUSER app \+@scripting/);
    expect(
      checkScripting(makeFacts({ use: 'queue', scripting: { denied: [], method: 'eval', unavailable: 'x' } }))
        .status,
    ).toBe('skip');
  });
  it("hash tags follow Redis's rule: the first { and a non-empty } after it", () => {
    expect(hasHashTag('{app}:emails')).toBe(true);
    expect(hasHashTag('bull:{x}')).toBe(true);
    expect(hasHashTag('a{}b{c}')).toBe(false);
    expect(hasHashTag('a{b')).toBe(false);
    expect(hasHashTag('a}b{c}')).toBe(true);
    expect(hasHashTag('{}{x}')).toBe(false);
  });
  it('bullmq.hashtags: on a cluster every queue needs a {hash tag}', () => {
    const tagged = makeFacts({
      use: 'queue',
      isCluster: true,
      queues: [queue('{app}:emails'), queue('{app}:sms')],
    });
    expect(checkHashTags(tagged).status).toBe('pass');
    const r = checkHashTags(
      makeFacts({ use: 'queue', isCluster: true, queues: [queue('{app}:emails'), queue('bull:sms')] }),
    );
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/1 of 2 queues have no \{hash tag\}.*bull:sms/);
    expect(checkHashTags(makeFacts({ use: 'queue', queues: [queue('bull:sms')] })).status).toBe('skip');
  });
});

describe('the catalogue', () => {
  it('runs every check in order, and skips every one when the server was not reached', () => {
    expect(runFitness(makeFacts()).map((c) => c.id)).toEqual(fitnessIds);
    expect(skipFitness('not reached').every((c) => c.status === 'skip')).toBe(true);
  });
  it('says how the use was decided, and unknown when the evidence cannot rule queues out', () => {
    const probe = (over: Partial<UseProbe> = {}): UseProbe => ({
      queues: [],
      clientQueues: [],
      clientNames: [],
      clientsUnavailable: null,
      scanned: 10,
      totalKeys: 10,
      complete: true,
      scanStopped: null,
      scanUnavailable: null,
      ...over,
    });
    const info = makeFacts().info;
    expect(inferUse(probe({ queues: [queue('bull:a'), queue('bull:b')] }), [info]).reason).toMatch(
      /inferred queue: 2 BullMQ queues found/,
    );
    expect(inferUse(probe({ clientQueues: ['bull:mail'] }), [info]).reason).toMatch(/CLIENT LIST/);
    expect(inferUse(probe(), [info])).toEqual({
      use: 'cache',
      reason: expect.stringMatching(/inferred cache: no BullMQ queues in all 10 keys/),
    });
    const partial = inferUse(
      probe({
        complete: false,
        scanned: 100_000,
        totalKeys: 10_000_000,
        scanStopped: 'the scan budget (100,000 keys) ran out',
      }),
      [info],
    );
    expect(partial.use).toBe('unknown');
    expect(partial.reason).toMatch(
      /none found in the first 100,000 of 10,000,000 keys.*pass --use to be sure/,
    );
    expect(inferUse(probe({ scanUnavailable: 'SCAN failed: NOPERM' }), [info]).use).toBe('unknown');
    expect(inferUse(probe(), [{ ...info, evicted_keys: '5' }]).reason).toMatch(/5 keys were evicted/);
    expect(describeUse(makeFacts({ use: 'both', useReason: '--use both' })).reason).toBe('--use both');
  });
});
