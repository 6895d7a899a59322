import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/redis/secrets.js';
import { isSentinelUrl, parseSentinelUrl } from '../../src/redis/sentinel-target.js';
import { resolveTarget } from '../../src/redis/target.js';
import { usage } from '../helpers/usage-error.js';

const cwd = mkdtempSync(join(tmpdir(), 'redis-ops-unit-'));

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

describe('resolveTarget with sentinels', () => {
  it('takes a sentinel URL from --url or REDIS_URL and masks both passwords', () => {
    const t = resolveTarget(
      { url: 'redis+sentinel://:data-Secret@127.0.0.1:1,127.0.0.1:2/mymaster?sentinelPassword=sent-Secret' },
      {},
      cwd,
    );
    expect(t.sentinel).toMatchObject({ master: 'mymaster', password: 'sent-Secret', replica: false });
    expect(t.sentinel?.sentinels).toHaveLength(2);
    expect(t.password).toBe('data-Secret');
    expect(t.display).toBe(
      'redis+sentinel://default:***@127.0.0.1:1,127.0.0.1:2/mymaster?sentinelPassword=***',
    );
    expect(redact('x data-Secret y sent-Secret')).toBe('x *** y ***');
    const e = resolveTarget({}, { REDIS_URL: 'redis-sentinel://h/m' }, cwd);
    expect(e.source).toBe('REDIS_URL');
    expect(e.sentinel?.master).toBe('m');
  });

  it('takes --sentinel flags with --master, data credentials from REDIS_PASSWORD', () => {
    const t = resolveTarget(
      { sentinel: ['a:1', 'b'], master: 'm', sentinelPassword: 'sp', sentinelUser: 'su' },
      { REDIS_PASSWORD: 'dp', REDIS_URL: 'redis://ignored:1' },
      cwd,
    );
    expect(t.source).toBe('flag');
    expect(t.sentinel).toMatchObject({
      master: 'm',
      username: 'su',
      password: 'sp',
      sentinels: [
        { host: 'a', port: 1 },
        { host: 'b', port: 26379 },
      ],
    });
    expect(t.password).toBe('dp');
  });

  it('reads REDIS_SENTINELS + REDIS_SENTINEL_MASTER; REDIS_URL wins over them', () => {
    const env = {
      REDIS_SENTINELS: 'a:1,b:2',
      REDIS_SENTINEL_MASTER: 'm',
      REDIS_SENTINEL_PASSWORD: 'sp',
      REDIS_PASSWORD: 'dp',
      REDIS_DB: '2',
    };
    const t = resolveTarget({}, env, cwd);
    expect(t.source).toBe('REDIS_SENTINELS');
    expect(t).toMatchObject({ password: 'dp', db: 2, sentinel: { master: 'm', password: 'sp' } });
    expect(resolveTarget({}, { ...env, REDIS_URL: 'redis://x:1' }, cwd).sentinel).toBeUndefined();
    expect(resolveTarget({ master: 'other' }, env, cwd).sentinel?.master).toBe('other');
  });

  it('refuses contradictions with a hint', () => {
    expect(usage(() => resolveTarget({ sentinel: ['a:1'] }, {}, cwd)).message).toMatch(
      /without a master name/,
    );
    expect(usage(() => resolveTarget({ url: 'redis://a', sentinel: ['a:1'] }, {}, cwd)).message).toMatch(
      /--url and --sentinel/,
    );
    expect(usage(() => resolveTarget({ master: 'm' }, {}, cwd)).message).toMatch(/--master needs/);
    expect(usage(() => resolveTarget({ replica: true }, {}, cwd)).message).toMatch(/--replica needs/);
    expect(usage(() => resolveTarget({ sentinel: ['a:x'], master: 'm' }, {}, cwd)).message).toMatch(
      /invalid sentinel address/,
    );
  });
});
