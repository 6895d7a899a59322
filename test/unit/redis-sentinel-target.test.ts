import { describe, expect, it } from 'vitest';
import { isSentinelUrl, parseSentinelUrl } from '../../src/redis/sentinel-target.js';
import { usage } from '../helpers/usage-error.js';

describe('sentinel URLs', () => {
  it('recognises the three schemes and nothing else', () => {
    for (const u of [
      'redis+sentinel://h/m',
      'rediss+sentinel://h/m',
      'redis-sentinel://h/m',
      'REDIS+SENTINEL://h/m',
    ])
      expect(isSentinelUrl(u)).toBe(true);
    for (const u of ['redis://h', 'rediss://h', 'sentinel://h/m', 'http://h'])
      expect(isSentinelUrl(u)).toBe(false);
  });

  it('parses hosts, default port 26379, master, db, data and sentinel credentials', () => {
    const u = parseSentinelUrl(
      'redis+sentinel://app:p%40ss@s1:26380,s2,[::1]:26381/my%20master/3?sentinelUsername=sen&sentinelPassword=s%3Acret',
    );
    expect(u.sentinels).toEqual([
      { host: 's1', port: 26380 },
      { host: 's2', port: 26379 },
      { host: '::1', port: 26381 },
    ]);
    expect(u.master).toBe('my master');
    expect(u.parts).toMatchObject({ username: 'app', password: 'p@ss', db: 3, tls: false });
    expect(u.sentinelUsername).toBe('sen');
    expect(u.sentinelPassword).toBe('s:cret');
    expect(parseSentinelUrl('rediss+sentinel://:pw@h/m').parts).toMatchObject({
      password: 'pw',
      tls: true,
      db: 0,
    });
  });

  it('rejects bad shapes with a hint, passwords masked', () => {
    expect(usage(() => parseSentinelUrl('redis+sentinel://:hunter22@h1,h2')).message).toMatch(
      /names no master/,
    );
    const e = usage(() =>
      parseSentinelUrl('redis+sentinel://:hunter22@h1:99999/m?sentinelPassword=zz-secret'),
    );
    expect(e.message).toMatch(/port out of range/);
    expect(e.message).not.toContain('hunter22');
    expect(e.message).not.toContain('zz-secret');
    expect(usage(() => parseSentinelUrl('redis+sentinel:///m')).message).toMatch(/no sentinel host/);
    expect(usage(() => parseSentinelUrl('redis+sentinel://h/m/x')).message).toMatch(/invalid database/);
  });
});
