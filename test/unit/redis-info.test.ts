import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  detectServer,
  hitRatio,
  infoNumber,
  parseInfo,
  parseInfoFields,
  parseKeyspace,
} from '../../src/redis/info.js';

describe('INFO keyspace and the hit ratio (one home: src/redis/info.ts)', () => {
  it('reads every db line of INFO keyspace, in db order', () => {
    const info = parseInfo(
      '# Keyspace\r\ndb10:keys=3,expires=0,avg_ttl=0\r\ndb0:keys=100,expires=40,avg_ttl=59000,subexpiry=0\r\n',
    );
    expect(parseKeyspace(info)).toEqual([
      { db: 0, keys: 100, expires: 40, avgTtlMs: 59000 },
      { db: 10, keys: 3, expires: 0, avgTtlMs: 0 },
    ]);
    expect(parseKeyspace(parseInfo('# Keyspace\r\n'))).toEqual([]);
    expect(parseKeyspace(parseInfo('dbsize:3\r\ndb1:keys=x\r\n'))).toEqual([
      { db: 1, keys: 0, expires: 0, avgTtlMs: 0 },
    ]);
  });

  it('is hits over lookups, unrounded, and null without lookups or figures', () => {
    expect(hitRatio(2, 1)).toBe(2 / 3);
    expect(hitRatio(0, 0)).toBeNull();
    expect(hitRatio(null, 3)).toBeNull();
    expect(hitRatio(5, undefined)).toBeNull();
  });
});

describe('parseInfo', () => {
  const text =
    '# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n\r\n# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=100\r\nrole:master\r\n';
  it('flattens sections', () => {
    const info = parseInfo(text);
    expect(info.redis_version).toBe('7.0.15');
    expect(info.role).toBe('master');
    expect(parseInfoFields(info.db0 ?? '')).toEqual({ keys: '10', expires: '2', avg_ttl: '100' });
    expect(infoNumber(info, 'redis_version')).toBeUndefined();
    expect(infoNumber({ a: '12' }, 'a')).toBe(12);
  });
  it('tells engines apart', () => {
    expect(detectServer({ redis_version: '7.2.4', valkey_version: '8.0.1', role: 'master' })).toMatchObject({
      engine: 'valkey',
      version: '8.0.1',
    });
    expect(detectServer({ redis_version: '6.2.0', dragonfly_version: 'df-v1.2.3' })).toMatchObject({
      engine: 'dragonfly',
      version: '1.2.3',
    });
    expect(detectServer({ redis_version: '6.3.4', mvcc_depth: '0' }).engine).toBe('keydb');
    expect(detectServer({ redis_version: '7.0.15', cluster_enabled: '1', role: 'master' })).toEqual({
      engine: 'redis',
      version: '7.0.15',
      mode: 'cluster',
      role: 'master',
    });
  });
  it('compares versions', () => {
    expect(compareVersions('6.2.0', '6.10.0')).toBeLessThan(0);
    expect(compareVersions('7.0.15', '7.0.15')).toBe(0);
    expect(compareVersions('5', '4.9.9')).toBeGreaterThan(0);
  });
});
