import { describe, expect, it } from 'vitest';
import { displayKey, escapeGlob, prefixPattern, shortKey } from '../../src/redis/scan.js';

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

describe('shortKey', () => {
  it('cuts long names for display on a character boundary, with the length', () => {
    expect(shortKey(Buffer.from('short'))).toBe('short');
    const long = Buffer.alloc(524_288, 0x61);
    expect(shortKey(long)).toBe(`${'a'.repeat(256)}…(524,288 bytes)`);
    const utf = Buffer.from(`${'a'.repeat(255)}é${'b'.repeat(10)}`, 'utf8');
    expect(shortKey(utf)).toBe(`${'a'.repeat(255)}…(267 bytes)`);
  });
});
