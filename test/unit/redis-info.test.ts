import { describe, expect, it } from 'vitest';
import { hitRatio, parseInfo, parseKeyspace } from '../../src/redis/info.js';

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
