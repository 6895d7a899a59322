import { describe, expect, it } from 'vitest';
import { patternBytes, prefixBytes } from '../../src/redis/byte-args.js';
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
