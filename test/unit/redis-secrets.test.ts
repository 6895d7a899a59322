import { describe, expect, it } from 'vitest';
import { maskUrlText, redact, registerSecret } from '../../src/redis/secrets.js';

describe('secrets', () => {
  it('masks URLs even when they do not parse', () => {
    expect(maskUrlText('redis://user:p@ss@host')).toBe('redis://user:***@host');
    expect(maskUrlText('see rediss://:tok@h:1 now')).toBe('see rediss://:***@h:1 now');
  });
  it('redacts registered secrets, also percent-encoded', () => {
    registerSecret('s3cr3t/val');
    expect(redact('x s3cr3t/val y s3cr3t%2Fval')).toBe('x *** y ***');
  });
});
