import type { Redis } from 'ioredis';
import { checkScanReply } from './resp-decode.js';
import { insideSegment, nextStart, type Segment } from './cursor-segments.js';
import { RespPipe } from './resp-pipe.js';
import { formatCount } from '../ui/format.js';

/**
 * The keyspace scanner shared by `stats --keys` and `flush`: SCAN (never KEYS) over one node,
 * binary-safe (keys are Buffers end to end), with the next SCAN already in flight while the
 * caller works on the current batch, so the server is never idle waiting for the client.
 */
export interface ScanOptions {
  /** A MATCH glob; build one from a literal prefix with prefixPattern(). */
  match?: string | Buffer;
  /** SCAN COUNT: round trips fall as it grows; the server's cost per pass stays the same. */
  count?: number;
  /** SCAN TYPE filter (string, list, set, zset, hash, stream). */
  type?: string;
  signal?: AbortSignal;
  /** Resume from this cursor (flush falls back here from its script mid-way); '0' by default. */
  cursor?: string;
  /** Walk only this part of the keyspace (cursor-segments.ts): from `cursor` (default its start) to its end. */
  segment?: Segment;
}

export const defaultScanCount = 1000;

function scanArgs(opts: ScanOptions): Array<string | Buffer | number> {
  const args: Array<string | Buffer | number> = [];
  if (opts.match !== undefined) args.push('MATCH', opts.match);
  args.push('COUNT', opts.count ?? defaultScanCount);
  if (opts.type) args.push('TYPE', opts.type);
  return args;
}

/**
 * Scan one node through an ioredis client, or through a RespPipe where millions of keys go by:
 * ioredis makes a Buffer and a promise per key and costs about three times the server's own
 * SCAN time in client CPU; the pipe parses a reply in one flat pass.
 */
export async function* scanNode(node: Redis | RespPipe, opts: ScanOptions = {}): AsyncGenerator<Buffer[]> {
  const args = scanArgs(opts);
  const one = scanArgs({ ...opts, count: 1 });
  // callBuffer keeps key names as raw bytes; plain call would decode them as UTF-8.
  // Either way the reply's shape is checked (checkScanReply), not cast.
  const callBuffer =
    node instanceof RespPipe
      ? async (cursor: string, a = args): Promise<[string, Buffer[]]> => {
          const [reply] = await node.send([['SCAN', cursor, ...a]]);
          return checkScanReply(reply);
        }
      : async (cursor: string, a = args): Promise<[string, Buffer[]]> =>
          checkScanReply(await node.callBuffer('SCAN', cursor, ...a));
  const segment = opts.segment;
  const after = segment ? nextStart(segment) : '0';
  /** A call that ran past the segment's edge, again a bucket at a time (cursor-segments.ts). */
  const withinEdge = async (from: string): Promise<[string, Buffer[]]> => {
    const keys: Buffer[] = [];
    let cursor = from;
    do {
      const [next, got] = await callBuffer(cursor, one);
      cursor = next;
      if (cursor === after || (segment && insideSegment(cursor, segment))) keys.push(...got);
    } while (segment && insideSegment(cursor, segment));
    return [cursor, keys];
  };
  let from = opts.cursor ?? segment?.start ?? '0';
  let pending = callBuffer(from);
  try {
    for (;;) {
      let [cursor, keys] = await pending;
      if (segment && segment.of > 1 && cursor !== after && !insideSegment(cursor, segment))
        [cursor, keys] = await withinEdge(from);
      const done =
        cursor === '0' ||
        opts.signal?.aborted === true ||
        (segment !== undefined && !insideSegment(cursor, segment));
      if (!done) {
        from = cursor;
        pending = callBuffer(cursor);
      }
      if (keys.length > 0) yield keys;
      if (done) return;
    }
  } finally {
    // The caller may stop early: the prefetched SCAN must not become an unhandled rejection.
    pending.catch(() => undefined);
  }
}

/** Escape MATCH glob syntax so a literal prefix means exactly those bytes. */
export function escapeGlob(literal: string | Buffer): Buffer {
  const bytes = typeof literal === 'string' ? Buffer.from(literal, 'utf8') : literal;
  const out: number[] = [];
  for (const b of bytes) {
    // * ? [ ] \ are the only special bytes in Redis' stringmatchlen.
    if (b === 0x2a || b === 0x3f || b === 0x5b || b === 0x5d || b === 0x5c) out.push(0x5c);
    out.push(b);
  }
  return Buffer.from(out);
}

/** The MATCH pattern for every key that starts with a literal prefix. */
export function prefixPattern(prefix: string | Buffer): Buffer {
  return Buffer.concat([escapeGlob(prefix), Buffer.from('*')]);
}

/** Show a binary key safely: printable ASCII/UTF-8 as is, other bytes as \xNN. */
export function displayKey(key: Buffer): string {
  const text = key.toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters are what must be escaped
  if (Buffer.from(text, 'utf8').equals(key) && !/[\x00-\x1f\x7f]/.test(text)) return text;
  let out = '';
  for (const b of key) {
    if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Names longer than this are cut for display (never in what is matched or deleted). */
export const displayLimit = 256;

/**
 * displayKey for output: a name over displayLimit bytes shows its start and its length,
 * `cache:aaaa…(524,288 bytes)`, cut on a UTF-8 character boundary.
 */
export function shortKey(key: Buffer, limit = displayLimit): string {
  if (key.length <= limit) return displayKey(key);
  let cut = limit;
  // Back off continuation bytes (10xxxxxx) so a character is not split in two.
  for (let i = 0; i < 3 && cut > 0 && ((key[cut] as number) & 0xc0) === 0x80; i++) cut--;
  return `${displayKey(key.subarray(0, cut))}…(${formatCount(key.length)} bytes)`;
}
