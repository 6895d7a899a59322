import { describe, expect, it } from 'vitest';
import { checkAuth, checkProviderFit } from '../../src/doctor/security.js';
import { makeFacts } from '../helpers/doctor-facts.js';

const blocked = {
  values: {},
  unavailable: "CONFIG is blocked or renamed on this server (ERR unknown command 'CONFIG')",
};

describe('clients, security, latency', () => {
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
