import { describe, expect, it } from 'vitest';
import type { TtlNamespace } from '../../src/doctor/facts.js';
import { checkKeysTtl } from '../../src/doctor/keys-ttl.js';
import { makeFacts, queue } from '../helpers/doctor-facts.js';

const sample = (namespaces: TtlNamespace[]) => ({
  keyTtl: {
    keyspace: null,
    sampled: namespaces.reduce((s, n) => s + n.keys, 0),
    namespaces,
    lookups: 0,
    unavailable: null,
  },
});
const fromInfo = (keys: number, expires: number) => ({
  keyTtl: {
    keyspace: { keys, expires, avgTtlMs: 60_000 },
    sampled: 0,
    namespaces: [],
    lookups: 0,
    unavailable: null,
  },
});

describe('keys.ttl', () => {
  it('passes when every namespace is consistent (all with a TTL, or a non-cache use)', () => {
    const r = checkKeysTtl(makeFacts(sample([{ prefix: 'cache:', keys: 400, noTtl: 0 }])));
    expect(r.status).toBe('pass');
    expect(r.message).toBe('400 keys sampled in 1 namespaces: TTLs consistent');
  });

  it('warns on a namespace where most keys have a TTL but some do not, naming it and the share', () => {
    const r = checkKeysTtl(
      makeFacts(
        sample([
          { prefix: 'rl:', keys: 200, noTtl: 10 },
          { prefix: 'cache:', keys: 300, noTtl: 0 },
        ]),
      ),
    );
    expect(r.status).toBe('warn');
    expect(r.message).toBe('rl: has 5% of its keys without a TTL (10 of 200 sampled)');
    expect(r.hint).toMatch(/lost EXPIRE/);
  });

  it('warns on a cache namespace where no key has a TTL', () => {
    const r = checkKeysTtl(makeFacts(sample([{ prefix: 'page:', keys: 50, noTtl: 50 }])));
    expect(r.status).toBe('warn');
    expect(r.message).toBe('no key has a TTL in page: (50 sampled)');
    expect(r.hint).toMatch(/always set a TTL for cached keys/);
  });

  it('says nothing about namespaces with too few sampled keys, or the queues of a "both" instance', () => {
    const r = checkKeysTtl(
      makeFacts({
        use: 'both',
        queues: [queue('bull:emails')],
        ...sample([
          { prefix: 'tiny:', keys: 3, noTtl: 3 },
          { prefix: 'bull:', keys: 500, noTtl: 500 },
        ]),
      }),
    );
    expect(r.status).toBe('pass');
  });

  it('skips for queue use, without a sample, or when the sample failed', () => {
    expect(checkKeysTtl(makeFacts({ use: 'queue', ...sample([]) })).status).toBe('skip');
    expect(checkKeysTtl(makeFacts({})).status).toBe('skip');
    const failed = checkKeysTtl(
      makeFacts({
        keyTtl: {
          keyspace: null,
          sampled: 0,
          namespaces: [],
          lookups: 0,
          unavailable: 'could not sample keys: NOPERM',
        },
      }),
    );
    expect(failed).toMatchObject({ status: 'skip', message: 'could not sample keys: NOPERM' });
  });

  it('INFO keyspace answers without reading a key when none or every key has a TTL', () => {
    expect(checkKeysTtl(makeFacts(fromInfo(5000, 5000)))).toMatchObject({
      status: 'pass',
      message: 'every key has a TTL: 5,000 keys, average TTL 60 s (INFO keyspace; no key read)',
    });
    expect(checkKeysTtl(makeFacts(fromInfo(5000, 0)))).toMatchObject({
      status: 'warn',
      message: 'no key has a TTL: 0 of 5,000 keys expire (INFO keyspace; no key read)',
    });
    expect(checkKeysTtl(makeFacts({ use: 'both', ...fromInfo(5000, 0) })).status).toBe('pass');
    expect(checkKeysTtl(makeFacts(fromInfo(4, 0))).status).toBe('pass');
  });

  it("a sample reports doctor's own lookups", () => {
    const facts = makeFacts(sample([{ prefix: 'cache:', keys: 400, noTtl: 0 }]));
    if (facts.keyTtl) facts.keyTtl.lookups = 400;
    expect(checkKeysTtl(facts).message).toBe(
      "400 keys sampled in 1 namespaces: TTLs consistent (doctor's 400 PTTLs count as keyspace lookups; its verdicts read INFO before them)",
    );
  });
});
