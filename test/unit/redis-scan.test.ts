import { describe, expect, it } from 'vitest';
import { displayKey, escapeGlob, prefixPattern } from '../../src/redis/scan.js';

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
