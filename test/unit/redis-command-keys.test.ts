import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyAccesses, lookupCommand, parseCommandTable } from '../../src/redis/command-keys.js';
import { parseOneReply as parseReply } from '../../src/redis/resp-one.js';

const raw = readFileSync(new URL('../fixtures/hits/command-info-7.0.15.resp', import.meta.url));

const table = parseCommandTable((parseReply(raw, 0) as [never, number])[0]);

const argv = (line: string): Buffer[] => line.split(' ').map((a) => Buffer.from(a === '""' ? '' : a));

function keys(line: string): string[] {
  const args = argv(line);
  const shape = lookupCommand(table, args);
  if (!shape) return ['?'];
  return keyAccesses(shape, args).map((a) => `${a.read ? 'r' : 'w'}:${(args[a.index] as Buffer).toString()}`);
}

describe('keys from the key specs of a real COMMAND INFO (7.0.15)', () => {
  it.each([
    ['GET k', ['r:k']],
    ['get k', ['r:k']],
    ['SET k v EX 10', ['w:k']],
    ['MGET a b c', ['r:a', 'r:b', 'r:c']],
    ['MSET a 1 b 2', ['w:a', 'w:b']],
    ['ZUNIONSTORE dst 2 s1 s2 WEIGHTS 1 2', ['w:dst', 'r:s1', 'r:s2']],
    ['XREAD COUNT 2 STREAMS s1 s2 0 0', ['r:s1', 'r:s2']],
    ['OBJECT ENCODING k', ['r:k']],
    ['EVAL script 2 k1 k2 a1', ['w:k1', 'w:k2']],
    ['MIGRATE h 1 "" 0 5000 KEYS a b', ['w:a', 'w:b']],
    ['BLMPOP 0 2 l1 l2 LEFT', ['w:l1', 'w:l2']],
    ['DEL a b', ['w:a', 'w:b']],
    ['PING', []],
    ['SCAN 0 MATCH x*', []],
  ])('%s → %j', (line, expected) => {
    expect(keys(line)).toEqual(expected);
  });

  it('does not know commands the server did not list', () => {
    expect(lookupCommand(table, argv('NOSUCH k'))).toBeUndefined();
  });

  it('marks DEL as removing and MSET as overwriting', () => {
    const del = keyAccesses(lookupCommand(table, argv('DEL a'))!, argv('DEL a'));
    expect(del[0]?.remove).toBe(true);
    const mset = keyAccesses(lookupCommand(table, argv('MSET a 1'))!, argv('MSET a 1'));
    expect(mset[0]?.overwrite).toBe(true);
  });
});
