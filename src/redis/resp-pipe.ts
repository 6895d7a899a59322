import { connect as netConnect, type Socket } from 'node:net';
import { traceEnabled, traceLine } from './trace.js';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Redis } from 'ioredis';
import { ReplyReader, RespProtocolError, RespServerError, type Reply } from './resp-decode.js';
import { StepTimeoutError } from './timeout.js';

/**
 * A bare pipelined RESP2 connection for bulk per-key work (stats --keys sizes a million keys
 * with three commands each; flush scans and unlinks a million). ioredis costs ~10 µs of CPU per command (a Command object and a
 * promise each), which made sizing 1M keys take 40 s; here a batch is one buffer out and a
 * flat parse in, about 0.5 µs per reply (resp-decode.ts). Everything else keeps using ioredis.
 *
 * Failure is contained: a socket error, a close, a reply timeout or bytes that are not RESP
 * reject every outstanding batch with a typed error (RespProtocolError, StepTimeoutError) and
 * close the socket; nothing is thrown from a socket callback (that would crash the process).
 */
export type Arg = string | Buffer | number;

export interface PipeOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  /** A unix socket path instead of host and port. */
  path?: string;
  tls?: ConnectionOptions;
  timeoutMs: number;
}

interface Pending {
  replies: Reply[];
  expected: number;
  resolve(replies: Reply[]): void;
  reject(err: Error): void;
}

/**
 * Commands into one buffer, sized first and written in place with plain byte loops: a batch
 * of 3000 commands would otherwise make 20k small native calls, which cost more than the
 * server's work. ASCII strings (key names, numbers) are copied char by char, without a Buffer
 * each: a Buffer.from per argument was a third of `queues`' client CPU on 10,000 queues.
 * Exported for tests.
 */
export function encodeCommands(commands: Arg[][]): Buffer {
  const parts: Array<string | Buffer> = [];
  let size = 0;
  for (const args of commands) {
    size += 3 + digits(args.length);
    for (const a of args) {
      const part = toPart(a);
      parts.push(part);
      size += 5 + digits(part.length) + part.length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  let at = 0;
  for (const args of commands) {
    out[o++] = 0x2a; // *
    o = writeInt(out, o, args.length);
    for (let k = 0; k < args.length; k++) {
      const b = parts[at++] as string | Buffer;
      out[o++] = 0x24; // $
      o = writeInt(out, o, b.length);
      if (typeof b === 'string') {
        if (b.length > 64) o += out.write(b, o, 'latin1');
        else for (let i = 0; i < b.length; i++) out[o++] = b.charCodeAt(i);
      } else if (b.length > 32) o += b.copy(out, o);
      else for (let i = 0; i < b.length; i++) out[o++] = b[i] as number;
      out[o++] = 13;
      out[o++] = 10;
    }
  }
  return out;
}

/**
 * One command with many key arguments, straight from packed key bytes (a KeyStore block: names
 * end to end plus their lengths), without a Buffer per key: flush sends a million names so.
 */
export function encodePacked(name: string, data: Buffer, lengths: Uint32Array): Buffer {
  const head = `*${lengths.length + 1}\r\n$${name.length}\r\n${name}\r\n`;
  let size = head.length;
  for (const len of lengths) size += digits(len) + 5 + len; // $<len>\r\n<key>\r\n
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0, 'latin1');
  let from = 0;
  for (const len of lengths) {
    out[at++] = 0x24; // $
    at = writeInt(out, at, len);
    at += data.copy(out, at, from, from + len);
    from += len;
    out[at++] = 13;
    out[at++] = 10;
  }
  return out;
}

/** An argument as an ASCII string (one byte per char, copied as is) or as its bytes. */
function toPart(a: Arg): string | Buffer {
  if (typeof a === 'number') return String(a);
  if (typeof a !== 'string') return a;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) > 0x7f) return Buffer.from(a, 'utf8');
  return a;
}

/** Decimal digits of n then CRLF, at o; returns the new offset. */
function writeInt(out: Buffer, o: number, n: number): number {
  const len = digits(n);
  for (let i = len - 1; i >= 0; i--) {
    out[o + i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  o += len;
  out[o++] = 13;
  out[o++] = 10;
  return o;
}

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

export class RespPipe {
  private readonly reader = new ReplyReader((reply) => this.onReply(reply));
  private queue: Pending[] = [];
  private failure: Error | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('Connection is closed.')));
  }

  /** Open, authenticate and select the db, bounded by the timeout. */
  static async open(opts: PipeOptions): Promise<RespPipe> {
    const socket = opts.tls
      ? tlsConnect({ host: opts.host, port: opts.port, ...opts.tls })
      : netConnect(opts.path !== undefined ? { path: opts.path } : { host: opts.host, port: opts.port });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new StepTimeoutError('connect', opts.timeoutMs));
      }, opts.timeoutMs);
      socket.once(opts.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const pipe = new RespPipe(socket, opts.timeoutMs);
    const hello: Arg[][] = [];
    if (opts.password)
      hello.push(opts.username ? ['AUTH', opts.username, opts.password] : ['AUTH', opts.password]);
    if (opts.db) hello.push(['SELECT', String(opts.db)]);
    const replies = hello.length ? await pipe.send(hello) : [];
    const err = replies.find((r): r is RespServerError => r instanceof RespServerError);
    if (err) {
      pipe.close();
      throw err;
    }
    return pipe;
  }

  /** A pipe to the same server, credentials, TLS and db as an ioredis client (a cluster node too). */
  static async openLike(node: Redis, timeoutMs: number): Promise<RespPipe> {
    const o = node.options;
    const tls = o.tls ? { ...o.tls } : undefined;
    return RespPipe.open({
      host: o.host ?? '127.0.0.1',
      port: o.port ?? 6379,
      path: o.path ?? undefined,
      username: o.username ?? undefined,
      password: o.password ?? undefined,
      db: o.db ?? 0,
      tls,
      timeoutMs,
    });
  }

  /** Send commands in one write; resolves with one reply per command (errors as Error values). */
  send(commands: Arg[][]): Promise<Reply[]> {
    if (traceEnabled()) for (const [name, ...args] of commands) traceLine(String(name), args);
    return this.sendEncoded(encodeCommands(commands), commands.length);
  }

  /** Send bytes already in RESP (see encodePacked) that make `replies` commands. */
  sendEncoded(payload: Buffer, replies: number): Promise<Reply[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ replies: [], expected: replies, resolve, reject });
      this.socket.write(payload);
      this.armWatchdog();
    });
  }

  close(): void {
    clearTimeout(this.watchdog);
    this.failure ??= new Error('Connection is closed.');
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      this.take(chunk);
    } catch (err) {
      // Not RESP (a proxy, another service on the port, a corrupt stream): nothing after this
      // byte can be trusted, so the connection ends and every waiting batch gets the reason.
      this.fail(err instanceof RespProtocolError ? err : new RespProtocolError(String(err)));
    }
  }

  private take(chunk: Buffer): void {
    this.reader.push(chunk);
    this.armWatchdog();
  }

  /** Replies come in the order the batches went out: each fills the oldest waiting batch. */
  private onReply(reply: Reply): void {
    const head = this.queue[0];
    if (!head) return; // nothing asked for it (cannot happen on a well-behaved server)
    head.replies.push(reply);
    if (head.replies.length < head.expected) return;
    this.queue.shift();
    head.resolve(head.replies);
  }

  /** No reply for timeoutMs while commands are outstanding: the server is gone or stuck. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    if (this.queue.length === 0) return;
    this.watchdog = setTimeout(
      () => this.fail(new StepTimeoutError('reply', this.timeoutMs)),
      this.timeoutMs,
    );
  }

  private fail(err: Error): void {
    clearTimeout(this.watchdog);
    this.failure ??= err;
    const waiting = this.queue;
    this.queue = [];
    for (const p of waiting) p.reject(this.failure);
    this.socket.destroy();
  }
}
