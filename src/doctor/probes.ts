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

export type SniffResult = 'plaintext' | 'tls' | 'silent' | 'other';

/** A first reply line that is RESP: a type byte and a well-formed rest (`+PONG`, `-NOAUTH ...`, `$5`). */
export function looksLikeResp(line: string): boolean {
  return /^([+-].*|[:$*%~>_#,(=|!]-?\d*.*)$/.test(line) && !/^[+-]\s*$/.test(line);
}

/** What answered instead of Redis, for the message. */
export function describeStranger(reply: string): string {
  if (/^HTTP\/\d/.test(reply)) return `like HTTP: "${reply.slice(0, 60)}"`;
  if (/^SSH-/.test(reply)) return `like SSH: "${reply.slice(0, 60)}"`;
  if (/^220[ -]/.test(reply)) return `with a banner (SMTP or FTP): "${reply.slice(0, 60)}"`;
  const shown = reply.slice(0, 60).replace(/[^\x20-\x7e]/g, '.');
  return `with bytes that are not RESP: "${shown}"`;
}

/**
 * Which protocol the port speaks, without a TLS handshake that could hang: send an inline
 * PING in plaintext. A plaintext Redis answers in RESP (+PONG, -NOAUTH, -DENIED...); a TLS
 * server rejects the bytes and closes (or sends an alert); anything else (an HTTP server, a
 * banner-first service) is named. No answer within the time: silent.
 */
export async function sniffProtocol(
  host: string,
  port: number,
  ms: number,
  path?: string,
): Promise<{ kind: SniffResult; reply: string }> {
  const socket: Socket = netConnect(path !== undefined ? { path } : { host, port });
  let buf = Buffer.alloc(0);
  const firstLine = (): string => buf.toString('latin1').split(/\r?\n/)[0] ?? '';
  const classify = (): { kind: SniffResult; reply: string } => {
    const line = firstLine();
    return { kind: looksLikeResp(line) ? 'plaintext' : 'other', reply: line };
  };
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => resolve(buf.length ? { kind: 'other', reply: firstLine() } : { kind: 'silent', reply: '' }),
        ms,
      );
      const finish = (v: { kind: SniffResult; reply: string }): void => {
        clearTimeout(timer);
        resolve(v);
      };
      // Named like every doctor connection, so the slow log and CLIENT LIST can tell it apart.
      socket.once('connect', () => socket.write('CLIENT SETNAME redis-ops\r\nPING\r\n'));
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const first = buf[0];
        // 0x15 is a TLS alert record, 0x16 a handshake record: the server speaks TLS.
        if (first === 0x15 || first === 0x16) return finish({ kind: 'tls', reply: '' });
        if (buf.includes('\n')) return finish(classify());
      });
      socket.once('close', () => {
        if (buf.length === 0 || buf[0] === 0x15 || buf[0] === 0x16) finish({ kind: 'tls', reply: '' });
        else finish(classify());
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        // A reset right after our bytes is how most TLS servers refuse plaintext.
        if (err.code === 'ECONNRESET' || err.code === 'EPIPE')
          finish(buf.length ? classify() : { kind: 'tls', reply: '' });
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
          const facts: TlsFacts = {
            protocol: s.getProtocol(),
            authorized: s.authorized,
            authorizationError: s.authorizationError ? String(s.authorizationError) : null,
            subject: cert.subject?.CN ?? cert.subjectaltname ?? 'unknown',
            validTo: cert.valid_to ? new Date(cert.valid_to) : null,
          };
          // TLS 1.3: a server that wants a client certificate says so only after the handshake
          // "succeeded", as an alert on the first read. One PING brings it out.
          s.write('PING\r\n');
          s.once('data', () => resolve(facts));
          s.once('close', () =>
            reject(new Error('the server closed the connection right after the TLS handshake')),
          );
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

/**
 * A second connection that sends no credentials and only `PING`: whether it answers PONG (open
 * to anyone who reaches the port) or NOAUTH is the server's truth, whatever password the client
 * has (a `nopass` user accepts any password). Returns the first reply line.
 */
export async function pingWithoutAuth(target: Target, ms: number): Promise<string> {
  const tls = target.tls;
  const socket: Socket = tls
    ? tlsConnect({
        host: target.host,
        port: target.port,
        servername: tls.servername,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: tls.rejectUnauthorized,
      })
    : netConnect({ host: target.host, port: target.port });
  let buf = Buffer.alloc(0);
  try {
    return await withTimeout(
      new Promise<string>((resolve, reject) => {
        // SETNAME first (it fails with NOAUTH too where credentials are needed): the PING's reply is the second line.
        socket.once(tls ? 'secureConnect' : 'connect', () =>
          socket.write('CLIENT SETNAME redis-ops\r\nPING\r\n'),
        );
        socket.on('data', (chunk: Buffer) => {
          buf = Buffer.concat([buf, chunk]);
          const lines = buf.toString('utf8').split('\r\n');
          if (lines.length >= 3) resolve(lines[1] ?? '');
        });
        socket.once('error', reject);
        socket.once('close', () =>
          buf.includes('\r\n')
            ? resolve(buf.toString('utf8').split('\r\n')[0] ?? '')
            : reject(
                new Error(
                  `the connection closed before a reply${buf.length ? `: ${buf.toString('utf8').slice(0, 80)}` : ''}`,
                ),
              ),
        );
      }),
      ms,
      'unauthenticated PING',
    );
  } finally {
    socket.destroy();
  }
}
