import { lookup } from 'node:dns/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Target } from '../redis/target.js';
import { withTimeout } from '../redis/timeout.js';

/** Low-level network probes for the connection ladder; each one is bounded by the timeout. */

export async function resolveHost(host: string, ms: number): Promise<string[]> {
  const rows = await withTimeout(lookup(host, { all: true }), ms, `DNS lookup of ${host}`);
  return rows.map((r) => r.address);
}

/** `path`: a unix socket instead of host and port. */
export async function openTcp(host: string, port: number, ms: number, path?: string): Promise<number> {
  const started = performance.now();
  const socket = netConnect(path !== undefined ? { path } : { host, port });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      }),
      ms,
      `TCP connect to ${host}:${port}`,
    );
    return performance.now() - started;
  } finally {
    socket.destroy();
  }
}

export type SniffResult = 'plaintext' | 'tls' | 'silent';

/**
 * Which protocol the port speaks, without a TLS handshake that could hang: send an inline
 * PING in plaintext. A plaintext Redis answers in RESP (+PONG, -NOAUTH, -DENIED...); a TLS
 * server rejects the bytes and closes (or sends an alert). No answer within the time: silent.
 */
export async function sniffProtocol(
  host: string,
  port: number,
  ms: number,
  path?: string,
): Promise<{ kind: SniffResult; reply: string }> {
  const socket: Socket = netConnect(path !== undefined ? { path } : { host, port });
  let buf = Buffer.alloc(0);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ kind: 'silent', reply: '' }), ms);
      const finish = (v: { kind: SniffResult; reply: string }): void => {
        clearTimeout(timer);
        resolve(v);
      };
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const first = buf[0];
        // 0x15 is a TLS alert record, 0x16 a handshake record: the server speaks TLS.
        if (first === 0x15 || first === 0x16) return finish({ kind: 'tls', reply: '' });
        if (buf.includes('\r\n') && first !== undefined && '+-$:*_%>'.includes(String.fromCharCode(first))) {
          return finish({ kind: 'plaintext', reply: buf.toString('utf8').split('\r\n')[0] ?? '' });
        }
      });
      socket.once('close', () =>
        finish({
          kind: buf.length && buf[0] !== 0x15 && buf[0] !== 0x16 ? 'plaintext' : 'tls',
          reply: buf.toString('utf8'),
        }),
      );
      socket.once('error', (err: NodeJS.ErrnoException) => {
        // A reset right after our bytes is how most TLS servers refuse plaintext.
        if (err.code === 'ECONNRESET' || err.code === 'EPIPE') finish({ kind: 'tls', reply: '' });
        else {
          clearTimeout(timer);
          reject(err);
        }
      });
    });
  } finally {
    socket.destroy();
  }
}

export interface TlsFacts {
  protocol: string | null;
  authorized: boolean;
  authorizationError: string | null;
  subject: string;
  validTo: Date | null;
}

/** A full TLS handshake with the target's settings; errors carry Node's codes. */
export async function handshakeTls(target: Target, ms: number): Promise<TlsFacts> {
  const tls = target.tls;
  if (!tls) throw new Error('not a TLS target');
  let socket: TLSSocket | undefined;
  try {
    return await withTimeout(
      new Promise<TlsFacts>((resolve, reject) => {
        socket = tlsConnect({
          host: target.host,
          port: target.port,
          servername: tls.servername,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: tls.rejectUnauthorized,
        });
        socket.once('secureConnect', () => {
          const s = socket as TLSSocket;
          const cert: PeerCertificate = s.getPeerCertificate();
          resolve({
            protocol: s.getProtocol(),
            authorized: s.authorized,
            authorizationError: s.authorizationError ? String(s.authorizationError) : null,
            subject: cert.subject?.CN ?? cert.subjectaltname ?? 'unknown',
            validTo: cert.valid_to ? new Date(cert.valid_to) : null,
          });
        });
        socket.once('error', reject);
      }),
      ms,
      'TLS handshake',
    );
  } finally {
    socket?.destroy();
  }
}
