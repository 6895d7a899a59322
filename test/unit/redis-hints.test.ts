import { describe, expect, it } from 'vitest';
import { explainError } from '../../src/redis/hints.js';

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
