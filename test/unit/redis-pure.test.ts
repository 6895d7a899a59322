import { describe, expect, it } from 'vitest';
import { explainError } from '../../src/redis/hints.js';
import {
  compareVersions,
  detectServer,
  infoNumber,
  parseInfo,
  parseInfoFields,
} from '../../src/redis/info.js';
import { detectProvider, providerNeedsTls } from '../../src/redis/provider.js';
import { displayKey, escapeGlob, prefixPattern } from '../../src/redis/scan.js';
import { maskUrlText, redact, registerSecret } from '../../src/redis/secrets.js';

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

describe('detectProvider', () => {
  it.each([
    ['localhost', 'local'],
    ['127.0.0.1', 'local'],
    ['redis', 'local'],
    ['eu1-sharp-fox-12345.upstash.io', 'upstash'],
    ['master.my-cache.abc123.use1.cache.amazonaws.com', 'elasticache'],
    ['my-cache-abc123.serverless.use1.cache.amazonaws.com', 'elasticache-serverless'],
    ['clustercfg.my-db.abc123.memorydb.us-east-1.amazonaws.com', 'memorydb'],
    ['redis-12345.c1.us-east-1-2.ec2.redns.redis-cloud.com', 'redis-cloud'],
    ['my.redis.cache.windows.net', 'azure'],
    ['redis.internal.example.com', 'generic'],
  ])('%s → %s', (host, provider) => {
    expect(detectProvider(host)).toBe(provider);
  });
  it('falls back to INFO fingerprints', () => {
    expect(detectProvider('10.1.2.3', { os: 'Amazon ElastiCache' })).toBe('elasticache');
    expect(detectProvider('10.1.2.3', { upstash_version: '1.0' })).toBe('upstash');
  });
  it('knows who needs TLS', () => {
    expect(providerNeedsTls('upstash', 'eu1-x.upstash.io')).toBe(true);
    expect(providerNeedsTls('upstash', 'fly-x.upstash.io')).toBe(false);
    expect(providerNeedsTls('elasticache-serverless', 'x')).toBe(true);
    expect(providerNeedsTls('local', 'x')).toBe(false);
  });
});

describe('explainError', () => {
  const cases: Array<[string, string]> = [
    ['getaddrinfo ENOTFOUND redis', 'dns'],
    ['connect ECONNREFUSED 127.0.0.1:6379', 'refused'],
    ['connect ETIMEDOUT', 'timeout'],
    ['read ECONNRESET', 'reset'],
    ['self-signed certificate in certificate chain', 'tls-ca'],
    ['unable to verify the first certificate', 'tls-ca'],
    ["Hostname/IP does not match certificate's altnames", 'tls-name'],
    ['certificate has expired', 'tls-expired'],
    ['NOAUTH Authentication required.', 'auth-missing'],
    [
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used',
      'auth-missing',
    ],
    ['WRONGPASS invalid username-password pair or user is disabled.', 'auth-wrong'],
    ["NOPERM this user has no permissions to run the 'eval' command", 'acl'],
    ['DENIED Redis is running in protected mode because protected mode is enabled', 'protected-mode'],
    ['LOADING Redis is loading the dataset in memory', 'loading'],
    [
      'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
      'misconf',
    ],
    ['MOVED 3999 127.0.0.1:7001', 'moved'],
    ["CROSSSLOT Keys in request don't hash to the same slot", 'crossslot'],
    ["OOM command not allowed when used memory > 'maxmemory'.", 'oom'],
    ["READONLY You can't write against a read only replica.", 'readonly'],
    ['ERR max concurrent connections exceeded', 'provider-limit'],
    ["ERR unknown command 'CONFIG', with args beginning with: 'GET'", 'unknown-command'],
  ];
  it.each(cases)('%s', (message, cause) => {
    const e = explainError(new Error(message));
    expect(e.cause).toBe(cause);
    expect(e.hint.length).toBeGreaterThan(10);
  });
  it('reads Node error codes', () => {
    const err = Object.assign(new Error('boom'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(explainError(err).cause).toBe('tls-name');
  });
});

describe('secrets', () => {
  it('masks URLs even when they do not parse', () => {
    expect(maskUrlText('redis://user:p@ss@host')).toBe('redis://user:***@host');
    expect(maskUrlText('see rediss://:tok@h:1 now')).toBe('see rediss://:***@h:1 now');
  });
  it('redacts registered secrets, also percent-encoded', () => {
    registerSecret('s3cr3t/val');
    expect(redact('x s3cr3t/val y s3cr3t%2Fval')).toBe('x *** y ***');
  });
});

describe('glob escaping', () => {
  it('escapes * ? [ ] \\ so a literal prefix means exactly those keys', () => {
    expect(escapeGlob('cache:page:[v1]:').toString()).toBe('cache:page:\\[v1\\]:');
    expect(escapeGlob('a*b?c\\d').toString()).toBe('a\\*b\\?c\\\\d');
    expect(prefixPattern('cache:').toString()).toBe('cache:*');
  });
  it('shows binary keys escaped', () => {
    expect(displayKey(Buffer.from('plain:key'))).toBe('plain:key');
    expect(displayKey(Buffer.from([0x61, 0xff, 0x0a]))).toBe('a\\xff\\x0a');
    expect(displayKey(Buffer.from('ünï:ключ'))).toBe('ünï:ключ');
  });
});
