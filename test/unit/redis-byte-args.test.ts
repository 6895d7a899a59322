import { describe, expect, it } from 'vitest';
import { patternBytes, prefixBytes } from '../../src/redis/byte-args.js';
import { globCouldMatchPrefix, globMatches } from '../../src/redis/glob.js';
import { shortKey } from '../../src/redis/scan.js';
import { CliError } from '../../src/errors.js';

describe('key bytes from arguments', () => {
  it('decodes \\xNN and \\\\ in prefixes, keeps other backslashes', () => {
    expect(prefixBytes('\\xff:')).toEqual(Buffer.from([0xff, 0x3a]));
    expect(prefixBytes('a\\\\b')).toEqual(Buffer.from('a\\b'));
    expect(prefixBytes('c\\d')).toEqual(Buffer.from('c\\d'));
    expect(prefixBytes('é')).toEqual(Buffer.from('é', 'utf8'));
    expect(prefixBytes('\\xZZ')).toEqual(Buffer.from('\\xZZ'));
  });

  it('takes \\xNN in a pattern as a literal byte, glob syntax as is', () => {
    expect(patternBytes('\\xff:*')).toEqual(Buffer.from([0xff, 0x3a, 0x2a]));
    expect(patternBytes('\\x2a*').toString()).toBe('\\**');
    expect(patternBytes('a\\*b').toString()).toBe('a\\*b');
    expect(patternBytes('\\\\x41').toString()).toBe('\\\\x41');
  });

  it('refuses U+FFFD (a byte lost to UTF-8 decoding) with a hint', () => {
    expect(() => prefixBytes('\uFFFD:')).toThrow(CliError);
    expect(() => patternBytes('\uFFFD*')).toThrow(/holds U\+FFFD/);
  });
});

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

describe('shortKey', () => {
  it('cuts long names for display on a character boundary, with the length', () => {
    expect(shortKey(Buffer.from('short'))).toBe('short');
    const long = Buffer.alloc(524_288, 0x61);
    expect(shortKey(long)).toBe(`${'a'.repeat(256)}…(524,288 bytes)`);
    const utf = Buffer.from(`${'a'.repeat(255)}é${'b'.repeat(10)}`, 'utf8');
    expect(shortKey(utf)).toBe(`${'a'.repeat(255)}…(267 bytes)`);
  });
});
