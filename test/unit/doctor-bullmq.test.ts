import { describe, expect, it } from 'vitest';
import { checkHashTags, checkScripting, checkVersion, hasHashTag } from '../../src/doctor/bullmq.js';
import { makeFacts, queue } from '../helpers/doctor-facts.js';

describe('bullmq', () => {
  it('bullmq.version: < 5 fails, < 6.2 warns, Valkey not judged by Redis numbers', () => {
    const v = (version: string, engine: 'redis' | 'valkey' = 'redis') =>
      checkVersion(
        makeFacts({ use: 'queue', server: { engine, version, mode: 'standalone', role: 'master' } }),
      ).status;
    expect(v('4.0.14')).toBe('fail');
    expect(v('6.0.9')).toBe('warn');
    expect(v('7.2.4')).toBe('pass');
    expect(v('4.0.0', 'valkey')).toBe('pass');
  });
  it('bullmq.scripting: denied EVAL fails, unknown skips', () => {
    expect(checkScripting(makeFacts({ use: 'queue' })).status).toBe('pass');
    const r = checkScripting(
      makeFacts({
        use: 'queue',
        username: 'app',
        scripting: { denied: ['EVAL', 'EVALSHA'], method: 'acl-dryrun', unavailable: null },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.hint).toMatch(/ACL SETUSER app \+@scripting/);
    expect(
      checkScripting(makeFacts({ use: 'queue', scripting: { denied: [], method: 'eval', unavailable: 'x' } }))
        .status,
    ).toBe('skip');
  });
  it("hash tags follow Redis's rule: the first { and a non-empty } after it", () => {
    expect(hasHashTag('{app}:emails')).toBe(true);
    expect(hasHashTag('bull:{x}')).toBe(true);
    expect(hasHashTag('a{}b{c}')).toBe(false);
    expect(hasHashTag('a{b')).toBe(false);
    expect(hasHashTag('a}b{c}')).toBe(true);
    expect(hasHashTag('{}{x}')).toBe(false);
  });
  it('bullmq.hashtags: on a cluster every queue needs a {hash tag}', () => {
    const tagged = makeFacts({
      use: 'queue',
      isCluster: true,
      queues: [queue('{app}:emails'), queue('{app}:sms')],
    });
    expect(checkHashTags(tagged).status).toBe('pass');
    const r = checkHashTags(
      makeFacts({ use: 'queue', isCluster: true, queues: [queue('{app}:emails'), queue('bull:sms')] }),
    );
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/1 of 2 queues have no \{hash tag\}.*bull:sms/);
    expect(checkHashTags(makeFacts({ use: 'queue', queues: [queue('bull:sms')] })).status).toBe('skip');
  });
});
