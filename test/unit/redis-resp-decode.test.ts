import { describe, expect, it } from 'vitest';
import {
  checkScanReply,
  ReplyReader,
  replyInteger,
  replyText,
  RespProtocolError,
  RespServerError,
  type Reply,
} from '../../src/redis/resp-decode.js';

// The decoder tested the way ioredis/redis-parser test theirs: each reply type whole, then the
// same bytes fed one byte at a time and split in two at every byte, then the errors.

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Every reply the reader yields for these chunks, in order. */
function readAll(chunks: Buffer[]): Reply[] {
  const out: Reply[] = [];
  const reader = new ReplyReader((r) => out.push(r));
  for (const chunk of chunks) reader.push(chunk);
  return out;
}

const serverError = (text: string): RespServerError => new RespServerError(text);

// [name, wire bytes, decoded value]: every RESP2 type (strings come back as Buffers: keys are binary).
const cases: Array<[string, string, Reply]> = [
  ['simple string', '+OK\r\n', b('OK')],
  ['empty simple string', '+\r\n', b('')],
  [
    'error',
    '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
    serverError('WRONGTYPE Operation against a key holding the wrong kind of value'),
  ],
  ['integer', ':1000\r\n', 1000],
  ['negative integer', ':-2\r\n', -2],
  ['zero', ':0\r\n', 0],
  ['bulk string', '$5\r\nhello\r\n', b('hello')],
  ['empty bulk string', '$0\r\n\r\n', b('')],
  ['binary bulk string with CRLF inside', '$4\r\na\r\n\xff\r\n', b('a\r\n\xff')],
  ['null bulk string', '$-1\r\n', null],
  ['SCAN page', '*2\r\n$1\r\n0\r\n*2\r\n$3\r\nkey\r\n$1\r\n\x00\r\n', [b('0'), [b('key'), b('\x00')]]],
  ['empty array', '*0\r\n', []],
  ['null array', '*-1\r\n', null],
  ['array with an error inside', '*2\r\n:1\r\n-ERR no\r\n', [1, serverError('ERR no')]],
  ['nested arrays', '*2\r\n*1\r\n:1\r\n*1\r\n*0\r\n', [[1], [[]]]],
];

describe('RESP decoding', () => {
  it.each(cases)('decodes a whole %s', (_name, wire, value) => {
    expect(readAll([b(wire)])).toEqual([value]);
  });

  it('keeps the server error code and text, as values', () => {
    const [reply] = readAll([b("-NOPERM this user has no permissions to run the 'memory' command\r\n")]);
    expect(reply).toBeInstanceOf(RespServerError);
    expect(reply).toBeInstanceOf(Error);
    expect((reply as RespServerError).code).toBe('NOPERM');
  });

  const all = cases.map(([, wire]) => wire).join('');
  const expected = cases.map(([, , value]) => value);

  it('decodes every type back to back in one chunk', () => {
    expect(readAll([b(all)])).toEqual(expected);
  });

  it('decodes the same bytes fed one byte at a time', () => {
    expect(readAll([...b(all)].map((x) => Buffer.from([x])))).toEqual(expected);
  });

  it('decodes the same bytes split in two at every byte', () => {
    const bytes = b(all);
    for (let i = 1; i < bytes.length; i++)
      expect(readAll([bytes.subarray(0, i), bytes.subarray(i)]), `split at ${i}`).toEqual(expected);
  });

  it('yields nothing for every incomplete prefix, never a wrong reply', () => {
    for (const [name, wire] of cases) {
      const bytes = b(wire);
      for (let i = 0; i < bytes.length; i++)
        expect(readAll([bytes.subarray(0, i)]), `${name}, ${i} bytes`).toEqual([]);
    }
  });

  // The pipe never sends HELLO 3: a RESP3 type on its connection is as wrong as any other byte.
  it.each([
    ['an unknown type byte', '?bad\r\n', '0x3f ("?")'],
    ['a NUL byte', '\x00\r\n', '0x00 ("\\u0000")'],
    ['an HTTP answer (not a Redis port)', 'HTTP/1.1 400 Bad Request\r\n', '0x48 ("H")'],
    ['a bulk string longer than its length', '$2\r\nabc\r\n', '0x0a ("\\n")'],
    ['a bad element inside an array', '*2\r\n:1\r\n?\r\n', '0x3f ("?")'],
    ['RESP3 null', '_\r\n', '0x5f ("_")'],
    ['RESP3 boolean', '#t\r\n', '0x23 ("#")'],
    ['RESP3 double', ',3.14\r\n', '0x2c (",")'],
    ['RESP3 big number', '(3492890328409238509324850943850943825024385\r\n', '0x28 ("(")'],
    ['RESP3 blob error', '!21\r\nSYNTAX invalid syntax\r\n', '0x21 ("!")'],
    ['RESP3 verbatim string', '=15\r\ntxt:Some string\r\n', '0x3d ("=")'],
    ['RESP3 map', '%1\r\n+a\r\n:1\r\n', '0x25 ("%")'],
    ['RESP3 set', '~1\r\n+a\r\n', '0x7e ("~")'],
    ['RESP3 push', '>2\r\n+message\r\n$2\r\nhi\r\n', '0x3e (">")'],
    ['RESP3 attribute', '|1\r\n+ttl\r\n:3600\r\n', '0x7c ("|")'],
  ])('rejects %s with a protocol error, whole and byte by byte', (_name, wire, byte) => {
    const message = `the server's reply is not valid RESP: unknown reply type byte ${byte}`;
    expect(() => readAll([b(wire)])).toThrow(RespProtocolError);
    expect(() => readAll([b(wire)])).toThrow(message);
    expect(() => readAll([...b(wire)].map((x) => Buffer.from([x])))).toThrow(message);
  });

  it('hands over the replies before the bad byte, then fails for good', () => {
    const out: Reply[] = [];
    const reader = new ReplyReader((r) => out.push(r));
    expect(() => reader.push(b('+OK\r\n:1\r\n?\r\n'))).toThrow(RespProtocolError);
    expect(out).toEqual([b('OK'), 1]);
    expect(() => reader.push(b('+OK\r\n'))).toThrow(RespProtocolError);
    expect(out).toHaveLength(2);
  });
});

describe('checked reply shapes', () => {
  it('SCAN: takes [cursor, keys]', () => {
    expect(checkScanReply([b('17'), [b('a'), b('b')]])).toEqual(['17', [b('a'), b('b')]]);
    expect(checkScanReply([b('0'), []])).toEqual(['0', []]);
  });

  it('SCAN: throws the server error it was given', () => {
    expect(() => checkScanReply(serverError('NOPERM no'))).toThrow('NOPERM no');
  });

  it.each([
    ['not an array', b('OK')],
    ['one element', [b('0')]],
    ['a cursor that is not a number', [b('x'), []]],
    ['keys that are not a list', [b('0'), b('k')]],
    ['keys that are not strings', [b('0'), [1]]],
    ['null', null],
  ])('SCAN: rejects %s as a protocol error', (_name, reply) => {
    expect(() => checkScanReply(reply)).toThrow(RespProtocolError);
  });

  it('integers and text', () => {
    expect(replyInteger(3, 'UNLINK')).toBe(3);
    expect(() => replyInteger(b('3'), 'UNLINK')).toThrow('UNLINK answered something other than an integer');
    expect(() => replyInteger(serverError('READONLY no'), 'UNLINK')).toThrow(RespServerError);
    expect(replyText(b('string'))).toBe('string');
    expect(replyText(null)).toBeNull();
  });
});
