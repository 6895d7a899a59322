import type { EnvEntry } from './env.js';
import type { PlannedService } from './types.js';
import type { InitSettings, ServicePlan } from './settings.js';
import { loadTemplate, renderTemplate } from './templates.js';

/** The redis.conf of one service, from templates/redis.conf. */
export function renderConf(p: ServicePlan, s: InitSettings): string {
  const cache = p.role === 'cache';
  const snapshots = p.save !== '""';
  return renderTemplate(loadTemplate('redis.conf'), {
    engine: s.engine === 'valkey' ? 'Valkey' : 'Redis',
    role: p.role,
    profile: s.profile,
    envFile: s.envFile,
    // With a password, protected mode changes nothing; without one it would refuse the
    // connections Docker forwards from the host, so it is off and the port stays on 127.0.0.1.
    protectedMode: s.password ? 'yes' : 'no',
    policyReason: cache
      ? 'Cache: when memory is full, evict the least recently used keys.'
      : 'Queues: never evict (BullMQ requires noeviction); writes fail when memory is full, so leave room.',
    maxmemory: p.maxmemory,
    policy: p.policy,
    persistenceReason: cache
      ? `A cache can be rebuilt: no append-only file${snapshots ? '; RDB snapshots give a warm restart' : ', no snapshots'}.`
      : `Jobs must survive a restart: append-only file, fsync every second${snapshots ? ', plus RDB snapshots' : ''}.`,
    appendonly: p.appendonly ? 'yes' : 'no',
    save: p.save,
  });
}

/** The env entries of a remote provider: the URL shape (TLS, user name), with placeholders. */
export function remoteEntries(s: InitSettings): EnvEntry[] {
  const urlVars = s.use === 'both' ? ['REDIS_URL', 'REDIS_QUEUE_URL'] : ['REDIS_URL'];
  if (s.provider === 'upstash') {
    const url = 'rediss://default:YOUR_UPSTASH_PASSWORD@YOUR-DATABASE.upstash.io:6379';
    return [
      ...urlVars.map((name) => ({ name, value: url, example: url, secret: true })),
      // The REST API is separate: never put its https:// URL into REDIS_URL.
      {
        name: 'UPSTASH_REDIS_REST_URL',
        value: 'https://YOUR-DATABASE.upstash.io',
        example: 'https://YOUR-DATABASE.upstash.io',
        secret: false,
      },
      {
        name: 'UPSTASH_REDIS_REST_TOKEN',
        value: 'YOUR_UPSTASH_REST_TOKEN',
        example: 'YOUR_UPSTASH_REST_TOKEN',
        secret: true,
      },
    ];
  }
  if (s.provider === 'elasticache') {
    const url =
      'rediss://YOUR_RBAC_USER:YOUR_PASSWORD@master.YOUR-CLUSTER.abc123.use1.cache.amazonaws.com:6379';
    return urlVars.map((name) => ({ name, value: url, example: url, secret: true }));
  }
  return [];
}

export function scaffoldNotes(s: InitSettings, services: PlannedService[]): string[] {
  const notes: string[] = [];
  const queues = s.use !== 'cache';
  if (s.provider === 'upstash') {
    notes.push(
      `Upstash: replace the YOUR-... placeholders in ${s.envFile} with the values from the Upstash console (TLS, user "default")`,
    );
    if (queues)
      notes.push(
        'Upstash: BullMQ polls even when idle, so use a fixed plan for queues; eviction is off by default (writes fail when the database is full)',
      );
  }
  if (s.provider === 'elasticache') {
    notes.push(
      `ElastiCache: replace the YOUR-... placeholders in ${s.envFile}; it has no public endpoint, so connect from inside its VPC`,
    );
    if (queues)
      notes.push(
        'ElastiCache: the default policy is volatile-lru; queues need a custom parameter group with maxmemory-policy noeviction (serverless cannot change it: do not use it for BullMQ)',
      );
  }
  for (const svc of services) {
    const auth = s.password ? 'default:${REDIS_PASSWORD}@' : '';
    notes.push(
      `inside compose, apps reach ${svc.name} as redis://${auth}${svc.name}:6379 and wait for it with depends_on: { ${svc.name}: { condition: service_healthy } }`,
    );
  }
  if (services.length > 0 && !s.password)
    notes.push(
      'no password: the port is published on 127.0.0.1 only, but anything on this machine can use it',
    );
  if (services.length > 0 && s.profile === 'prod')
    notes.push(
      'prod: set vm.overcommit_memory=1 on the Docker host (containers cannot), or background saves may fail',
    );
  return notes;
}
