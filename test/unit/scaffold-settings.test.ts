import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/scaffold/settings.js';

describe('resolveSettings', () => {
  it('defaults: local cache service "redis" on 6379, dev profile, password on', () => {
    const s = resolveSettings({});
    expect(s).toMatchObject({
      provider: 'local',
      use: 'cache',
      profile: 'dev',
      image: 'redis:8.2-alpine',
      engine: 'redis',
      password: true,
      envFile: '.env',
    });
    expect(s.services).toEqual([
      {
        name: 'redis',
        role: 'cache',
        hostPort: 6379,
        portVar: 'REDIS_PORT',
        urlVar: 'REDIS_URL',
        confPath: 'redis/redis.conf',
        maxmemory: '256mb',
        policy: 'allkeys-lru',
        appendonly: false,
        save: '""',
      },
    ]);
  });

  it('both: two services, the queue one port up, noeviction with AOF', () => {
    const s = resolveSettings({ use: 'both', service: 'kv', port: '7000', profile: 'prod' });
    expect(
      s.services.map((p) => [p.name, p.hostPort, p.policy, p.appendonly, p.urlVar, p.maxmemory]),
    ).toEqual([
      ['kv-cache', 7000, 'allkeys-lru', false, 'REDIS_URL', '1gb'],
      ['kv-queue', 7001, 'noeviction', true, 'REDIS_QUEUE_URL', '1gb'],
    ]);
  });

  it('remote providers have no local service unless --with-local', () => {
    expect(resolveSettings({ provider: 'upstash' }).services).toEqual([]);
    expect(resolveSettings({ provider: 'elasticache', withLocal: true }).services).toHaveLength(1);
  });

  it('--image valkey means the pinned valkey image', () => {
    expect(resolveSettings({ image: 'valkey' })).toMatchObject({
      image: 'valkey/valkey:8-alpine',
      engine: 'valkey',
    });
  });

  it.each([
    [{ port: '0' }, 'invalid --port: 0'],
    [{ port: '6379.5' }, 'invalid --port: 6379.5'],
    [{ use: 'both', port: '65535' }, 'invalid --port: 65535'],
    [{ maxmemory: '1tb' }, 'invalid --maxmemory: 1tb'],
    [{ maxmemory: '-1mb' }, 'invalid --maxmemory: -1mb'],
    [{ provider: 'aws' }, 'invalid --provider: aws'],
    [{ service: '-x' }, 'invalid --service: -x'],
    [{ image: 'redis:7 && rm' }, 'invalid --image: redis:7 && rm'],
  ])('%j is a usage error', (answers, message) => {
    expect(() => resolveSettings(answers)).toThrow(message);
  });
});
