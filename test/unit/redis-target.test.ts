import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTarget, loadEnv, parseRedisUrl, parseTimeout, resolveTarget } from '../../src/redis/target.js';
import { redact } from '../../src/redis/secrets.js';
import { usage } from '../helpers/usage-error.js';

const cwd = mkdtempSync(join(tmpdir(), 'redis-ops-unit-'));

describe('parseRedisUrl', () => {
  it.each([
    ['redis://localhost', { host: 'localhost', port: 6379, db: 0, tls: false }],
    [
      'rediss://default:p%40ss%3Aw@eu1-x.upstash.io:6379',
      { host: 'eu1-x.upstash.io', port: 6379, username: 'default', password: 'p@ss:w', db: 0, tls: true },
    ],
    [
      'redis://:secret@127.0.0.1:7000/3',
      { host: '127.0.0.1', port: 7000, password: 'secret', db: 3, tls: false },
    ],
    ['redis://[::1]:6380', { host: '::1', port: 6380, db: 0, tls: false }],
    [
      'redis://app:pw@redis:6379/0',
      { host: 'redis', port: 6379, username: 'app', password: 'pw', db: 0, tls: false },
    ],
  ])('%s', (url, expected) => {
    expect(parseRedisUrl(url)).toEqual({ username: undefined, password: undefined, ...expected });
  });

  it('rejects what is not a Redis URL, with a hint and the password masked', () => {
    expect(usage(() => parseRedisUrl('not a url')).message).toMatch(/invalid Redis URL/);
    const scheme = usage(() => parseRedisUrl('http://user:hunter22@example.com'));
    expect(scheme.message).toMatch(/unsupported URL scheme "http:\/\/"/);
    expect(scheme.message).not.toContain('hunter22');
    expect(usage(() => parseRedisUrl('https://eu1-x.upstash.io')).hint).toMatch(/Upstash REST URL/);
    expect(usage(() => parseRedisUrl('redis://localhost:70000')).message).toMatch(
      /invalid Redis URL|port out of range/,
    );
    expect(usage(() => parseRedisUrl('redis://localhost:0')).message).toMatch(/port out of range/);
    expect(usage(() => parseRedisUrl('redis://localhost:6379/abc')).message).toMatch(/invalid database/);
  });
});

describe('resolveTarget', () => {
  it('prefers --url, then REDIS_URL, then REDIS_HOST, then localhost', () => {
    expect(resolveTarget({ url: 'redis://a:1' }, { REDIS_URL: 'redis://b:2' }, cwd).host).toBe('a');
    expect(resolveTarget({}, { REDIS_URL: 'redis://b:2', REDIS_HOST: 'c' }, cwd).host).toBe('b');
    const t = resolveTarget(
      {},
      {
        REDIS_HOST: 'c',
        REDIS_PORT: '7001',
        REDIS_USERNAME: 'u',
        REDIS_PASSWORD: 'pw-1234',
        REDIS_DB: '2',
        REDIS_TLS: 'true',
      },
      cwd,
    );
    expect(t).toMatchObject({
      host: 'c',
      port: 7001,
      username: 'u',
      password: 'pw-1234',
      db: 2,
      source: 'REDIS_HOST',
    });
    expect(t.tls?.servername).toBe('c');
    expect(t.display).toBe('rediss://u:***@c:7001/2');
    const d = resolveTarget({}, {}, cwd);
    expect(d.display).toBe('redis://127.0.0.1:6379');
    expect(d.source).toBe('default');
  });

  it('TLS: SNI for host names, none for IPs, --sni wins, verification on unless --insecure', () => {
    expect(resolveTarget({ url: 'rediss://cache.example.com' }, {}, cwd).tls).toMatchObject({
      servername: 'cache.example.com',
      rejectUnauthorized: true,
    });
    expect(resolveTarget({ url: 'rediss://10.0.0.1' }, {}, cwd).tls?.servername).toBeUndefined();
    expect(
      resolveTarget({ url: 'redis://10.0.0.1', tls: true, sni: 'x.example' }, {}, cwd).tls?.servername,
    ).toBe('x.example');
    expect(resolveTarget({ url: 'rediss://h', insecure: true }, {}, cwd).tls?.rejectUnauthorized).toBe(false);
  });

  it('bad TLS flags and files are usage errors', () => {
    expect(usage(() => resolveTarget({ url: 'rediss://h', cert: 'a.crt' }, {}, cwd)).message).toBe(
      '--cert needs --key',
    );
    expect(usage(() => resolveTarget({ url: 'rediss://h', key: 'a.key' }, {}, cwd)).message).toBe(
      '--key needs --cert',
    );
    expect(usage(() => resolveTarget({ url: 'rediss://h', cacert: 'missing.pem' }, {}, cwd)).message).toMatch(
      /--cacert file not found/,
    );
    expect(usage(() => resolveTarget({ url: 'redis://h', cacert: 'missing.pem' }, {}, cwd)).message).toMatch(
      /--cacert file not found/,
    );
    expect(usage(() => resolveTarget({}, { REDIS_HOST: 'h', REDIS_PORT: '99999' }, cwd)).message).toMatch(
      /invalid REDIS_PORT: 99999/,
    );
  });

  it('timeouts', () => {
    expect(parseTimeout(undefined)).toBe(5000);
    expect(parseTimeout('250')).toBe(250);
    usage(() => parseTimeout('soon'));
    usage(() => parseTimeout('0'));
  });
});

describe('loadEnv', () => {
  it('reads .env in cwd; the process environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-env-'));
    writeFileSync(
      join(dir, '.env'),
      'REDIS_URL=redis://from-file:1\nREDIS_PASSWORD="quoted pw"\n# comment\n',
    );
    expect(loadEnv({}, dir).REDIS_URL).toBe('redis://from-file:1');
    expect(loadEnv({}, dir).REDIS_PASSWORD).toBe('quoted pw');
    expect(loadEnv({ REDIS_URL: 'redis://proc:2' }, dir).REDIS_URL).toBe('redis://proc:2');
  });

  it('--env-file names a file that must exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-env-'));
    writeFileSync(join(dir, 'prod.env'), 'REDIS_HOST=prod-host\n');
    expect(loadEnv({}, dir, 'prod.env').REDIS_HOST).toBe('prod-host');
    expect(usage(() => loadEnv({}, dir, 'nope.env')).message).toMatch(/env file not found/);
  });
});

describe('formatTarget (masking)', () => {
  it('never shows the password', () => {
    expect(formatTarget({ host: 'h', port: 1, password: 'secret', db: 0, tls: true })).toBe(
      'rediss://default:***@h:1',
    );
    expect(formatTarget({ host: '::1', port: 1, db: 0, tls: false })).toBe('redis://[::1]:1');
    expect(formatTarget({ host: 'h', port: 1, username: 'ro', db: 4, tls: false })).toBe('redis://ro@h:1/4');
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
