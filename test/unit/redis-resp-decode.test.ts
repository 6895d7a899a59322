import { describe, expect, it } from 'vitest';
import {
  checkScanReply,
  parseReply,
  ReplyReader,
  RespProtocolError,
  RespServerError,
  type Reply,
} from '../../src/redis/resp-decode.js';

// The decoder tested the way ioredis/redis-parser test theirs: each reply type whole, then the
// same bytes fed one byte at a time and split in two at every byte, then the errors.

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Every reply the reader yields for these chunks, in order. */
function readAll(chunks: Buffer[]): Reply[] {
  const reader = new ReplyReader();
  const out: Reply[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let r = reader.next(); r !== undefined; r = reader.next()) out.push(r);
  }
  return out;
}

const serverError = (text: string): RespServerError => new RespServerError(text);

// [name, wire bytes, decoded value]
const cases: Array<[string, string, Reply]> = [
  ['simple string', '+OK\r\n', 'OK'],
  ['empty simple string', '+\r\n', ''],
  [
    'error',
    '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
    serverError('WRONGTYPE Operation against a key holding the wrong kind of value'),
  ],
  ['integer', ':1000\r\n', 1000],
  ['negative integer', ':-2\r\n', -2],
  ['zero', ':0\r\n', 0],
  ['integer beyond 2^53', ':12345678901234567890\r\n', 12345678901234567890n],
  ['bulk string', '$5\r\nhello\r\n', b('hello')],
  ['empty bulk string', '$0\r\n\r\n', b('')],
  ['binary bulk string with CRLF inside', '$4\r\na\r\n\xff\r\n', b('a\r\n\xff')],
  ['null bulk string', '$-1\r\n', null],
  ['array', '*2\r\n$1\r\n0\r\n*1\r\n$3\r\nkey\r\n', [b('0'), [b('key')]]],
  ['empty array', '*0\r\n', []],
  ['null array', '*-1\r\n', null],
  ['array with an error inside', '*2\r\n:1\r\n-ERR no\r\n', [1, serverError('ERR no')]],
  ['RESP3 null', '_\r\n', null],
  ['RESP3 boolean true', '#t\r\n', true],
  ['RESP3 boolean false', '#f\r\n', false],
  ['RESP3 double', ',3.14\r\n', 3.14],
  ['RESP3 double inf', ',-inf\r\n', -Infinity],
  [
    'RESP3 big number',
    '(3492890328409238509324850943850943825024385\r\n',
    3492890328409238509324850943850943825024385n,
  ],
  ['RESP3 blob error', '!21\r\nSYNTAX invalid syntax\r\n', serverError('SYNTAX invalid syntax')],
  ['RESP3 verbatim string', '=15\r\ntxt:Some string\r\n', b('Some string')],
  [
    'RESP3 map',
    '%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n',
    new Map<Reply, Reply>([
      ['first', 1],
      ['second', 2],
    ]),
  ],
  ['RESP3 set', '~2\r\n+a\r\n+b\r\n', ['a', 'b']],
  ['RESP3 push', '>2\r\n+message\r\n$2\r\nhi\r\n', ['message', b('hi')]],
  ['RESP3 attribute before its reply', '|1\r\n+ttl\r\n:3600\r\n$3\r\nval\r\n', b('val')],
];

describe('RESP decoding', () => {
  it.each(cases)('decodes a whole %s', (_name, wire, value) => {
    const r = parseReply(b(wire), 0);
    expect(r).toBeDefined();
    expect(r?.[0]).toEqual(value);
    expect(r?.[1]).toBe(b(wire).length);
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
    const bytes = b(all);
    expect(readAll([...bytes].map((x) => Buffer.from([x])))).toEqual(expected);
  });

  it('decodes the same bytes split in two at every byte', () => {
    const bytes = b(all);
    for (let i = 1; i < bytes.length; i++) {
      expect(readAll([bytes.subarray(0, i), bytes.subarray(i)]), `split at ${i}`).toEqual(expected);
    }
  });

  it('answers undefined for every incomplete prefix, never a wrong reply', () => {
    for (const [name, wire] of cases) {
      const bytes = b(wire);
      for (let i = 0; i < bytes.length; i++)
        expect(parseReply(bytes.subarray(0, i), 0), `${name}, ${i} bytes`).toBeUndefined();
    }
  });

  it.each([
    ['an unknown type byte', '?bad\r\n', /unknown reply type byte 0x3f/],
    ['a NUL byte', '\x00\r\n', /unknown reply type byte 0x00/],
    ['an HTTP answer (not a Redis port)', 'HTTP/1.1 400 Bad Request\r\n', /unknown reply type byte 0x48/],
    ['a line ended by CR alone', '+OK\rX\r\n', /not ended by CRLF/],
    ['a bad integer', ':12a\r\n', /bad integer/],
    ['a bad length', '$x\r\nabc\r\n', /bad length/],
    ['a length below -1', '$-2\r\n', /bad length/],
    ['a bulk string longer than its length', '$2\r\nabc\r\n', /not ended by CRLF/],
    ['a bad count', '*1.5\r\n', /bad count/],
    ['a bad boolean', '#x\r\n', /bad boolean/],
    ['a bad double', ',abc\r\n', /bad double/],
    ['a bad big number', '(12x\r\n', /bad big number/],
    ['a verbatim string without its format', '=3\r\nabc\r\n', /without its format/],
    ['a bad element inside an array', '*2\r\n:1\r\n?\r\n', /unknown reply type byte 0x3f/],
  ])('rejects %s with a protocol error', (_name, wire, message) => {
    expect(() => parseReply(b(wire), 0)).toThrow(RespProtocolError);
    expect(() => parseReply(b(wire), 0)).toThrow(message);
    expect(() => readAll([...b(wire)].map((x) => Buffer.from([x])))).toThrow(RespProtocolError);
  });

  it('shows the offending bytes printable and bounded', () => {
    expect(() => parseReply(b('\x01\x02binary garbage that goes on and on\r\n'), 0)).toThrow(
      'the server\'s reply is not valid RESP: unknown reply type byte 0x01 at "\\\\x01\\\\x02binary garbage that go"',
    );
  });
});

describe('checkScanReply', () => {
  it('takes [cursor, keys]', () => {
    expect(checkScanReply([b('17'), [b('a'), b('b')]])).toEqual(['17', [b('a'), b('b')]]);
    expect(checkScanReply([b('0'), []])).toEqual(['0', []]);
  });

  it('throws the server error it was given', () => {
    expect(() => checkScanReply(serverError('NOPERM no'))).toThrow('NOPERM no');
  });

  it.each([
    ['not an array', b('OK')],
    ['one element', [b('0')]],
    ['a cursor that is not a number', [b('x'), []]],
    ['keys that are not a list', [b('0'), b('k')]],
    ['keys that are not strings', [b('0'), [1]]],
    ['null', null],
  ])('rejects %s as a protocol error', (_name, reply) => {
    expect(() => checkScanReply(reply)).toThrow(RespProtocolError);
  });
});
