import { createRequire } from 'node:module';

// Through require(), as ioredis is (ioredis.ts): no ESM export lexer over it on every start.
const RedisParser = createRequire(import.meta.url)('redis-parser') as typeof import('redis-parser');
type RedisParser = import('redis-parser');

/**
 * The decoding half of the raw RESP pipe (resp-pipe.ts): bytes from the server → replies, by
 * `redis-parser` (NodeRedis's decoder, the one ioredis 4 and node-redis 3 shipped with).
 *
 * Why not hand-written: a strict hand-written decoder (every RESP2 and RESP3 type, CRLF and
 * integer syntax checked) was measured against redis-parser with `npm run bench resp-decode`
 * (bench/scenarios/resp-decode.mjs: the same bytes in 64 KiB chunks, median of 7 runs, on the
 * shared 2-core machine under load from other sessions, 2026-12-01), and was slower:
 *   1000 SCAN pages of 1000 keys        hand-written 432-446 ms   redis-parser 277-311 ms
 *   1M TYPE/PTTL/MEMORY USAGE replies   hand-written 149-195 ms   redis-parser  94-104 ms
 * (the hand-written decoder is in commit bff2b49). redis-parser keeps the state of a
 * half-received array between chunks; the hand-written one parsed a straddling SCAN page again
 * from its start. So the library decodes. This wrapper (errors made ours, one callback per
 * reply) costs 1.25-1.3× bare redis-parser in the same bench (SCAN pages 164 vs 127 ms, 1M
 * replies 85 vs 68 ms). What redis-parser does not check: `:12a` decodes as a number and a
 * garbage length waits for more bytes; the pipe's reply timeout ends such a wait.
 *
 * The pipe speaks RESP2 (it never sends HELLO 3), so a RESP3 type byte, like any other byte
 * that does not start a RESP2 reply, is a RespProtocolError. Server errors (`-ERR …`) are
 * RespServerError values in the reply list, so one failed command does not fail its batch.
 * redis-parser hands every string over as a Buffer (returnBuffers: keys are binary), simple
 * strings (`+OK`) included.
 */
export type Reply = number | Buffer | null | RespServerError | Reply[];

/** The bytes are not RESP2: the peer is not a Redis server, or the stream is corrupt. Fatal for the connection. */
export class RespProtocolError extends Error {
  readonly code = 'ERESPPROTOCOL';
  constructor(detail: string) {
    super(`the server's reply is not valid RESP: ${detail}`);
    this.name = 'RespProtocolError';
  }
}

/** An error reply from the server (`-WRONGTYPE …`): a value, the connection stays usable. */
export class RespServerError extends Error {
  /** The first word: ERR, WRONGTYPE, NOPERM, MOVED, … */
  readonly code: string;
  constructor(text: string) {
    super(text);
    this.name = 'RespServerError';
    this.code = /^\S+/.exec(text)?.[0] ?? 'ERR';
  }
}

/** redis-parser's 'Protocol error, got "?" as reply type byte' → which byte, in hex too. */
function protocolDetail(message: string): string {
  const m = /got (".*") as reply type byte/.exec(message);
  if (!m) return message;
  const char = JSON.parse(m[1] as string) as string;
  const code = char.charCodeAt(0);
  return `unknown reply type byte 0x${code.toString(16).padStart(2, '0')} (${JSON.stringify(char)})`;
}

/** Errors nested in an array (EXEC, a script's reply) come from redis-parser as its ReplyError: make them ours. */
function adoptErrors(items: Reply[]): Reply[] {
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (item instanceof Error && !(item instanceof RespServerError))
      items[i] = new RespServerError(item.message);
    else if (Array.isArray(item)) adoptErrors(item as Reply[]);
  }
  return items;
}

/**
 * Replies out of a byte stream that arrives in chunks of any size: push() what the socket gave;
 * each whole reply goes to onReply, in order. push() throws RespProtocolError on bytes that are
 * not RESP, and again on every later push (nothing after a bad byte can be trusted).
 */
export class ReplyReader {
  private fatal: RespProtocolError | undefined;
  private readonly parser: RedisParser;

  constructor(onReply: (reply: Reply) => void) {
    this.parser = new RedisParser({
      returnBuffers: true,
      returnReply: (reply: Reply) => onReply(Array.isArray(reply) ? adoptErrors(reply) : reply),
      returnError: (err) => onReply(new RespServerError(err.message)),
      returnFatalError: (err) => {
        this.fatal ??= new RespProtocolError(protocolDetail(err.message));
      },
    });
  }

  push(chunk: Buffer): void {
    if (!this.fatal) {
      try {
        this.parser.execute(chunk);
      } catch (err) {
        // Anything the parser throws (it should not) means the stream cannot be trusted either.
        this.fatal ??= new RespProtocolError(err instanceof Error ? err.message : String(err));
      }
    }
    if (this.fatal) throw this.fatal;
  }
}

/** A simple or bulk string reply as text (TYPE's "string"); null for anything else. */
export function replyText(reply: Reply | undefined): string | null {
  return Buffer.isBuffer(reply) ? reply.toString('latin1') : null;
}

/** An integer reply (UNLINK's count, …), checked: a server error is thrown, another type is a protocol error. */
export function replyInteger(reply: Reply | undefined, command: string): number {
  if (reply instanceof Error) throw reply;
  if (typeof reply !== 'number')
    throw new RespProtocolError(`${command} answered something other than an integer`);
  return reply;
}

/**
 * SCAN's reply, checked: [cursor, [key, …]] with a decimal cursor and bulk-string keys. Any
 * other shape (a proxy that rewrites replies, a server that is not Redis) is a protocol error
 * rather than a crash three calls later.
 */
export function checkScanReply(reply: unknown): [cursor: string, keys: Buffer[]] {
  if (reply instanceof Error) throw reply;
  if (!Array.isArray(reply) || reply.length !== 2)
    throw new RespProtocolError('SCAN did not answer [cursor, keys]');
  const [cursor, keys] = reply as unknown[];
  const text = Buffer.isBuffer(cursor) ? cursor.toString('latin1') : typeof cursor === 'string' ? cursor : '';
  if (!/^\d+$/.test(text)) throw new RespProtocolError('SCAN answered a cursor that is not a number');
  if (!Array.isArray(keys) || !keys.every((k) => Buffer.isBuffer(k)))
    throw new RespProtocolError('SCAN answered keys that are not strings');
  return [text, keys];
}
