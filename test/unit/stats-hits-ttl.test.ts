import { describe, expect, it } from 'vitest';
import { ttlEffect } from '../../src/commands/stats/hits-ttl.js';

const argv = (line: string): Buffer[] => line.split(' ').map((a) => Buffer.from(a === '""' ? '' : a));

describe('what a write does to the TTL', () => {
  it.each([
    ['set', 'SET k v', 'clear'],
    ['set', 'SET k v EX 10', 'set'],
    ['set', 'SET k v px 10', 'set'],
    ['set', 'SET k v NX PXAT 99', 'set'],
    ['set', 'SET k v KEEPTTL', 'keep'],
    ['set', 'SET k EX', 'clear'],
    ['incr', 'INCR k', 'keep'],
    ['hset', 'HSET k f v', 'keep'],
    ['expire', 'EXPIRE k 10', 'set'],
    ['setex', 'SETEX k 10 v', 'set'],
    ['persist', 'PERSIST k', 'clear'],
    ['getex', 'GETEX k EX 5', 'set'],
    ['getex', 'GETEX k PERSIST', 'clear'],
    ['getset', 'GETSET k v', 'clear'],
  ])('%s: %s → %s', (name, line, effect) => {
    expect(ttlEffect(name, argv(line), false)).toBe(effect);
  });
});
