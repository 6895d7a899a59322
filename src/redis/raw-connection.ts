import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Redis } from 'ioredis';
import { parseOneReply as parseReply, type OneReply as Reply } from './resp-one.js';
import { encodeCommands, type Arg } from './resp-pipe.js';
import { StepTimeoutError } from './timeout.js';

/**
 * A bare RESP2 socket to the same server, credentials and TLS as an ioredis client, for the
 * connections that stream instead of answering (MONITOR, PSUBSCRIBE): the setup commands are
 * sent in one write, their replies read, and the socket is handed over with whatever bytes
 * came after them. The caller owns the (paused) socket from then on: listen, then resume().
 */
export interface RawConnection {
  socket: Socket;
  /** One reply per setup command (errors as Error values). */
  replies: Reply[];
  /** Bytes received after the last setup reply: the start of the stream. */
  rest: Buffer;
}

export async function openRaw(node: Redis, commands: Arg[][], timeoutMs: number): Promise<RawConnection> {
  const o = node.options;
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? 6379;
  const socket = o.tls ? tlsConnect({ host, port, ...o.tls }) : netConnect({ host, port });
  const hello: Arg[][] = [];
  if (o.password) hello.push(o.username ? ['AUTH', o.username, o.password] : ['AUTH', o.password]);
  const all = [...hello, ...commands];
  return new Promise<RawConnection>((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    const replies: Reply[] = [];
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', finish);
      socket.off('close', onClose);
      // Paused until the new owner listens: 'data' without a listener would be lost.
      socket.pause();
      if (err) {
        socket.destroy();
        reject(err);
        return;
      }
      const failed = replies.slice(0, hello.length).find((r): r is Error => r instanceof Error);
      if (failed) {
        socket.destroy();
        reject(failed);
        return;
      }
      resolve({ socket, replies: replies.slice(hello.length), rest: buf });
    };
    const onClose = (): void => finish(new Error('Connection is closed.'));
    const onData = (chunk: Buffer): void => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      let at = 0;
      while (replies.length < all.length) {
        const r = parseReply(buf, at);
        if (!r) break;
        replies.push(r[0]);
        at = r[1];
      }
      buf = buf.subarray(at);
      if (replies.length === all.length) finish();
    };
    const timer = setTimeout(() => finish(new StepTimeoutError('connect', timeoutMs)), timeoutMs);
    socket.setNoDelay(true);
    socket.on('data', onData);
    socket.on('error', finish);
    socket.on('close', onClose);
    socket.once(o.tls ? 'secureConnect' : 'connect', () => socket.write(encodeCommands(all)));
  });
}
