import { describe, expect, it } from 'vitest';
import { escapeXml, renderJunit } from '../../src/doctor/junit.js';
import { fail, pass, skip, warn } from '../../src/doctor/types.js';
import { parseXml } from '../helpers/xml.js';

const checks = [
  pass('conn.tcp', 'ok'),
  warn('mem.maxmemory', 'maxmemory is not set', 'set it'),
  fail('mem.policy', 'policy is "allkeys-lru" & <bad>', 'set noeviction'),
  skip('repl.link', 'no replicas'),
];

describe('JUnit XML', () => {
  it('one testcase per check: failure for fail, skipped for skip, warn in system-out', () => {
    const doc = parseXml(renderJunit({ target: 'redis://127.0.0.1:6379', checks, failOn: 'fail' }));
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ tests: '4', failures: '1', skipped: '1', errors: '0' });
    const suite = doc.children[0]!;
    const cases = suite.children;
    expect(cases.map((c) => c.attrs.name)).toEqual(['conn.tcp', 'mem.maxmemory', 'mem.policy', 'repl.link']);
    expect(cases[0]!.children).toEqual([]);
    expect(cases[1]!.children[0]!.name).toBe('system-out');
    const failure = cases[2]!.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attrs.message).toBe('policy is "allkeys-lru" & <bad>');
    expect(failure.text).toBe('hint: set noeviction');
    expect(cases[3]!.children[0]!.name).toBe('skipped');
  });
  it('--fail-on warn makes warnings failures', () => {
    const doc = parseXml(renderJunit({ target: 't', checks, failOn: 'warn' }));
    expect(doc.attrs.failures).toBe('2');
    expect(doc.children[0]!.children[1]!.children[0]!.name).toBe('failure');
  });
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
