import { describe, expect, it } from 'vitest';
import { globCouldMatchPrefix, globMatches, globMatchesEverything } from '../../src/redis/glob.js';

describe('glob ranges compare as the server does (signed char on x86-64)', () => {
  it('[a-é] reaches 0x00-0x61 and 0xC3-0xFF', () => {
    const p = Buffer.from('[a-é]', 'utf8');
    expect(globMatches(p, Buffer.from([0x61]))).toBe(true);
    expect(globMatches(p, Buffer.from([0x30]))).toBe(true);
    expect(globMatches(p, Buffer.from([0xff]))).toBe(true);
    expect(globMatches(p, Buffer.from([0x62]))).toBe(false);
    expect(globMatches(p, Buffer.from([0x80]))).toBe(false);
    expect(globMatches(p, Buffer.from([0x62]), 'unsigned')).toBe(true);
  });

  it('the guard refuses what either reading reaches', () => {
    expect(globCouldMatchPrefix(Buffer.from('[a-é]*', 'utf8'), 'bull:q:')).toBe(true);
    expect(globCouldMatchPrefix(Buffer.from('[a-é]*', 'utf8'), 'bull:q:', 'signed')).toBe(false);
  });
});

describe('glob reader (Redis stringmatchlen semantics)', () => {
  it('matches like the server', () => {
    expect(globMatches('cache:page:\\[v1\\]:*', 'cache:page:[v1]:x')).toBe(true);
    expect(globMatches('cache:page:[v1]:*', 'cache:page:v:x')).toBe(true);
    expect(globMatches('cache:page:[v1]:*', 'cache:page:[v1]:x')).toBe(false);
    expect(globMatches('h?llo', 'hello')).toBe(true);
    expect(globMatches('h[^e]llo', 'hello')).toBe(false);
    expect(globMatches('h[a-b]llo', 'hbllo')).toBe(true);
    expect(globMatches('h[b-a]llo', 'hallo')).toBe(true);
    expect(globMatches('a\\*', 'a*')).toBe(true);
    expect(globMatches('a\\*', 'ab')).toBe(false);
    expect(globMatches(Buffer.from([0xff, 0x2a]), Buffer.from([0xff, 0x00, 0x01]))).toBe(true);
  });

  it('tells whether a pattern can reach keys under a prefix', () => {
    expect(globCouldMatchPrefix('bull:*', 'bull:q:')).toBe(true);
    expect(globCouldMatchPrefix('bu*', 'bull:q:')).toBe(true);
    expect(globCouldMatchPrefix('bull:q:wait*', 'bull:q:')).toBe(true);
    expect(globCouldMatchPrefix('*:lock', 'bull:q:')).toBe(true);
    expect(globCouldMatchPrefix('bull:qq*', 'bull:q:')).toBe(false);
    expect(globCouldMatchPrefix('cache:*', 'bull:q:')).toBe(false);
    expect(globCouldMatchPrefix('bull:[pq]:*', 'bull:q:')).toBe(true);
    expect(globCouldMatchPrefix('bull:[^q]:*', 'bull:q:')).toBe(false);
  });

  it('knows the patterns that match everything', () => {
    expect(globMatchesEverything('*')).toBe(true);
    expect(globMatchesEverything('??*')).toBe(true);
    expect(globMatchesEverything('???')).toBe(false);
    expect(globMatchesEverything('a*')).toBe(false);
    expect(globMatchesEverything('\\*')).toBe(false);
  });
});

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('Redis MATCH semantics', () => {
  it.each([
    ['cache:*', 'cache:1', true],
    ['cache:*', 'cach:1', false],
    ['a?c', 'abc', true],
    ['[ab]x', 'bx', true],
    ['[^ab]x', 'bx', false],
    ['[a-c]x', 'cx', true],
    ['\\[v1\\]:*', '[v1]:k', true],
    ['*', 'x', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
  ])('%s vs %s', (pattern, key, ok) => expect(globMatches(b(pattern), b(key))).toBe(ok));
});
