import { RespProtocolError, RespServerError } from './resp-decode.js';

/**
 * One reply at an offset of a buffer, for the raw handshake in raw-connection.ts, which must
 * hand the bytes after its replies to the next reader (redis-parser, in resp-decode.ts, keeps
 * no offsets). The bulk path decodes with redis-parser. Returns undefined when incomplete.
 */
export type OneReply =
  | string
  | number
  | bigint
  | boolean
  | Buffer
  | null
  | RespServerError
  | Error
  | OneReply[]
  | Map<OneReply, OneReply>;

const CR = 13;
const LF = 10;

/** Bytes shown in an error: printable ASCII as is, the rest as \xNN, at most 24 of them. */
function showBytes(b: Buffer, from: number): string {
  let out = '';
  for (let i = from; i < Math.min(b.length, from + 24); i++) {
    const c = b[i] as number;
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}

/** A signed decimal integer from bytes [from, to) without making a string; NaN when it is not one. */
function intAt(b: Buffer, from: number, to: number): number {
  let i = from;
  let sign = 1;
  if (b[i] === 0x2d) {
    sign = -1;
    i++;
  }
  if (i >= to || to - i > 15) return to - i > 15 ? bigIntAt(b, from, to) : NaN;
  let n = 0;
  for (; i < to; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return sign * n;
}

/** Integers of 16+ digits: exact only when they fit a double's integer range. */
function bigIntAt(b: Buffer, from: number, to: number): number {
  const text = b.toString('latin1', from, to);
  if (!/^-?\d+$/.test(text)) return NaN;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : NaN;
}

/** A length or count header: -1 (null) or a non-negative integer. */
function lengthAt(b: Buffer, from: number, to: number, what: string): number {
  const n = intAt(b, from, to);
  if (!Number.isInteger(n) || n < -1) throw new RespProtocolError(`bad ${what} ${showBytes(b, from)}`);
  return n;
}

/**
 * Parse one reply at offset: [reply, next offset], or undefined when the bytes are incomplete
 * (wait for more). Throws RespProtocolError when they can never become a reply.
 */
export function parseOneReply(b: Buffer, o: number): [OneReply, number] | undefined {
  if (o >= b.length) return undefined;
  const end = b.indexOf(CR, o);
  if (end < 0 || end + 1 >= b.length) return undefined;
  if (b[end + 1] !== LF) throw new RespProtocolError(`a line not ended by CRLF at ${showBytes(b, o)}`);
  const type = b[o] as number;
  const next = end + 2;
  switch (type) {
    case 0x2b: // +simple string
      return [b.toString('latin1', o + 1, end), next];
    case 0x2d: // -error
      return [new RespServerError(b.toString('utf8', o + 1, end)), next];
    case 0x3a: {
      // :integer
      const n = intAt(b, o + 1, end);
      if (Number.isNaN(n)) {
        const text = b.toString('latin1', o + 1, end);
        // Outside a double's exact range: keep it exact.
        if (/^-?\d+$/.test(text)) return [BigInt(text), next];
        throw new RespProtocolError(`bad integer ${showBytes(b, o)}`);
      }
      return [n, next];
    }
    case 0x24: // $bulk string
    case 0x21: // !blob error (RESP3)
    case 0x3d: {
      // =verbatim string (RESP3): "txt:" or "mkd:" then the text
      const n = lengthAt(b, o + 1, end, 'length');
      if (n < 0) return [null, next];
      if (next + n + 2 > b.length) return undefined;
      if (b[next + n] !== CR || b[next + n + 1] !== LF)
        throw new RespProtocolError(`a ${n}-byte string not ended by CRLF`);
      if (type === 0x21) return [new RespServerError(b.toString('utf8', next, next + n)), next + n + 2];
      if (type === 0x3d) {
        if (n < 4 || b[next + 3] !== 0x3a)
          throw new RespProtocolError('a verbatim string without its format');
        return [b.subarray(next + 4, next + n), next + n + 2];
      }
      return [b.subarray(next, next + n), next + n + 2];
    }
    case 0x2a: // *array
    case 0x7e: // ~set (RESP3)
    case 0x3e: // >push (RESP3)
      return parseItems(b, lengthAt(b, o + 1, end, 'count'), next);
    case 0x25: // %map (RESP3)
    case 0x7c: {
      // |attribute (RESP3): metadata about the reply that follows it
      const n = lengthAt(b, o + 1, end, 'count');
      const items = parseItems(b, n < 0 ? n : n * 2, next);
      if (!items) return undefined;
      const [flat, p] = items;
      if (type === 0x7c) return parseOneReply(b, p);
      const map = new Map<OneReply, OneReply>();
      const kv = flat;
      if (kv) for (let i = 0; i < kv.length; i += 2) map.set(kv[i] as OneReply, kv[i + 1] as OneReply);
      return [kv ? map : null, p];
    }
    case 0x5f: // _null (RESP3)
      if (end !== o + 1) throw new RespProtocolError(`bad null ${showBytes(b, o)}`);
      return [null, next];
    case 0x23: {
      // #boolean (RESP3)
      const v = b[o + 1];
      if (end !== o + 2 || (v !== 0x74 && v !== 0x66))
        throw new RespProtocolError(`bad boolean ${showBytes(b, o)}`);
      return [v === 0x74, next];
    }
    case 0x2c: {
      // ,double (RESP3)
      const text = b.toString('latin1', o + 1, end);
      const n = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? NaN : Number(text);
      if (text === '' || (Number.isNaN(n) && text !== 'nan'))
        throw new RespProtocolError(`bad double ${showBytes(b, o)}`);
      return [n, next];
    }
    case 0x28: {
      // (big number (RESP3)
      const text = b.toString('latin1', o + 1, end);
      if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`bad big number ${showBytes(b, o)}`);
      return [BigInt(text), next];
    }
    default:
      throw new RespProtocolError(
        `unknown reply type byte 0x${type.toString(16).padStart(2, '0')} at ${showBytes(b, o)}`,
      );
  }
}

function parseItems(b: Buffer, n: number, from: number): [OneReply[] | null, number] | undefined {
  if (n < 0) return [null, from];
  const items: OneReply[] = new Array<OneReply>(n);
  let p = from;
  for (let i = 0; i < n; i++) {
    const r = parseOneReply(b, p);
    if (!r) return undefined;
    items[i] = r[0];
    p = r[1];
  }
  return [items, p];
}
