import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCerts, type TestCerts } from '../helpers/certs.js';
import { runCli, runJson } from '../helpers/cli.js';
import { byId } from '../helpers/doctor.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The connection ladder names the real cause where it is known (issue 11): client certificate
 * required, maxclients, a port that is not Redis, NOPERM on PING, BUSY, certificates not yet
 * valid or not matching, and --wait giving up on what waiting cannot fix.
 */
let certs: TestCerts;
let mtls: RedisServer;
let full: RedisServer;
let noPing: RedisServer;
let busy: RedisServer;
let future: RedisServer;
let futureCert: { cert: string; key: string };
let http: HttpServer;
let httpPort: number;
let banner: Server;
let bannerPort: number;
let bannerSockets = new Set<Socket>();
const held: Redis[] = [];

/** A server certificate whose validity starts tomorrow (openssl ca -startdate). */
function notYetValid(c: TestCerts): { cert: string; key: string } {
  const dir = join(c.dir, 'future');
  mkdirSync(join(dir, 'new'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = d',
      '[d]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/new',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = p',
      'copy_extensions = copy',
      'x509_extensions = ext',
      '[p]',
      'commonName = supplied',
      '[ext]',
      'subjectAltName = DNS:localhost,IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  const key = join(dir, 'future.key');
  const csr = join(dir, 'future.csr');
  const cert = join(dir, 'future.crt');
  const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  run(['req', '-new', '-key', key, '-subj', '/CN=localhost', '-out', csr]);
  const stamp = (d: Date): string => `${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
  const start = new Date(Date.now() + 86_400_000);
  const end = new Date(Date.now() + 20 * 86_400_000);
  run([
    'ca',
    '-batch',
    '-config',
    join(dir, 'ca.cnf'),
    '-cert',
    c.ca,
    '-keyfile',
    c.caKey,
    '-startdate',
    stamp(start),
    '-enddate',
    stamp(end),
    '-in',
    csr,
    '-out',
    cert,
  ]);
  return { cert, key };
}

beforeAll(async () => {
  certs = makeCerts();
  futureCert = notYetValid(certs);
  const tls = { cert: certs.server.cert, key: certs.server.key, ca: certs.ca };
  [mtls, full, noPing, busy, future] = await Promise.all([
    startRedis({ tls, config: ['tls-auth-clients yes'] }),
    startRedis({ config: ['maxclients 2'] }),
    startRedis({
      acl: ['user watcher on >watch-Secret-pw ~* &* +@all -ping', 'user default on nopass ~* +@all'],
    }),
    startRedis({ config: ['busy-reply-threshold 100'] }),
    startRedis({ tls: { cert: futureCert.cert, key: futureCert.key, ca: certs.ca } }),
  ]);
  httpPort = await freePort();
  http = createHttpServer((_req, res) => res.end('not redis'));
  await new Promise<void>((r) => http.listen(httpPort, '127.0.0.1', () => r()));
  bannerPort = await freePort();
  const sockets = new Set<Socket>();
  banner = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.write('220 mail.example.com ESMTP ready\r\n');
  });
  bannerSockets = sockets;
  await new Promise<void>((r) => banner.listen(bannerPort, '127.0.0.1', () => r()));
});

afterAll(async () => {
  for (const c of held) c.disconnect();
  await Promise.all([mtls, full, noPing, busy, future].map((s) => s?.stop()));
  http?.closeAllConnections();
  await new Promise((r) => http?.close(r));
  // close() waits for every open connection: end them first.
  for (const s of bannerSockets) s.destroy();
  await new Promise((r) => banner?.close(r));
});

describe('conn.tls names what the handshake really says', () => {
  it('a server that wants a client certificate: pass --cert/--key (and with them it passes)', async () => {
    const url = `rediss://127.0.0.1:${mtls.port}`;
    const { json } = await runJson(['doctor', '--url', url, '--cacert', certs.ca]);
    const tls = byId(json.checks, 'conn.tls');
    expect(tls.status).toBe('fail');
    expect(tls.hint).toBe(
      'the server wants a client certificate (tls-auth-clients yes): pass --cert <file> --key <file>',
    );
    expect(byId(json.checks, 'conn.auth').status).toBe('skip');
    const ok = await runJson([
      'doctor',
      '--url',
      url,
      '--cacert',
      certs.ca,
      '--cert',
      certs.client.cert,
      '--key',
      certs.client.key,
      '--use',
      'cache',
    ]);
    expect(byId(ok.json.checks, 'conn.tls').status).toBe('pass');
    expect(byId(ok.json.checks, 'conn.auth').status).toBe('pass');
  });

  it('a server certificate that is not valid yet says so (clock or reissue)', async () => {
    const { json } = await runJson([
      'doctor',
      '--url',
      `rediss://127.0.0.1:${future.port}`,
      '--cacert',
      certs.ca,
    ]);
    const tls = byId(json.checks, 'conn.tls');
    expect(tls.status).toBe('fail');
    expect(tls.message).toMatch(/not yet valid/);
    expect(tls.hint).toMatch(/not valid yet.*check the clocks/);
  });

  it('a --key that does not belong to --cert, and a --cacert that is not a certificate: exit 2 naming the file', async () => {
    const url = `rediss://127.0.0.1:${mtls.port}`;
    const mismatch = await runCli([
      'doctor',
      '--url',
      url,
      '--cacert',
      certs.ca,
      '--cert',
      certs.client.cert,
      '--key',
      certs.server.key,
    ]);
    expect(mismatch.exitCode).toBe(2);
    expect(mismatch.stderr).toContain(
      `--key ${certs.server.key} does not belong to --cert ${certs.client.cert}`,
    );
    const notCert = await runCli(['doctor', '--url', url, '--cacert', certs.caKey]);
    expect(notCert.exitCode).toBe(2);
    expect(notCert.stderr).toContain(`--cacert ${certs.caKey} is not a certificate`);
    expect(notCert.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('conn.protocol reads the first reply', () => {
  it('maxclients reached is named, not "write EPIPE"', async () => {
    for (let i = 0; i < 2; i++) {
      const c = new Redis({ port: full.port, lazyConnect: true, maxRetriesPerRequest: 0 });
      c.on('error', () => undefined);
      await c.connect();
      held.push(c);
    }
    const { json } = await runJson(['doctor', '--url', full.url]);
    const p = byId(json.checks, 'conn.protocol');
    expect(p.status).toBe('fail');
    expect(p.message).toBe('the server refuses new connections: ERR max number of clients reached');
    expect(p.hint).toMatch(/connection leak.*raise maxclients/);
    for (const c of held.splice(0)) c.disconnect();
    await new Promise((r) => setTimeout(r, 200));
    const ok = await runJson(['doctor', '--url', full.url, '--use', 'cache']);
    expect(byId(ok.json.checks, 'conn.protocol').status).toBe('pass');
  });

  it('an HTTP server on the port: "this port does not speak Redis (it answered like HTTP)"', async () => {
    const { json, run } = await runJson(['doctor', '--url', `redis://127.0.0.1:${httpPort}`]);
    expect(run.exitCode).toBe(1);
    expect(byId(json.checks, 'conn.protocol').message).toMatch(
      /^this port does not speak Redis \(it answered like HTTP: "HTTP\/1\.1 400 Bad Request"\)$/,
    );
  });

  it('a banner-first service is not plaintext RESP either', async () => {
    const { json } = await runJson(['doctor', '--url', `redis://127.0.0.1:${bannerPort}`]);
    expect(byId(json.checks, 'conn.protocol').message).toMatch(
      /with a banner \(SMTP or FTP\): "220 mail\.example\.com/,
    );
  });
});

describe('conn.auth and conn.ping tell permissions and server state from credentials', () => {
  it('a user that may not run PING is authenticated: conn.ping warns NOPERM and the ladder goes on', async () => {
    const { json } = await runJson([
      'doctor',
      '--url',
      `redis://watcher:watch-Secret-pw@127.0.0.1:${noPing.port}`,
      '--use',
      'cache',
    ]);
    expect(byId(json.checks, 'conn.auth')).toMatchObject({
      status: 'pass',
      message: 'authenticated as watcher',
    });
    expect(byId(json.checks, 'conn.ping')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/user watcher may not run PING \(NOPERM\)/),
      hint: 'grant it: ACL SETUSER watcher +ping (clients and health checks use PING)',
    });
    expect(byId(json.checks, 'server.info').status).toBe('pass');
  });

  it('BUSY (a long script) gets the SCRIPT KILL hint; afterwards the server passes', async () => {
    const runner = busy.client();
    const script = runner.eval('while true do end', 0).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 300));
    const { json } = await runJson(['doctor', '--url', busy.url, '--use', 'cache']);
    const failed = byId(json.checks, 'conn.ping');
    expect(failed.status).toBe('fail');
    expect(failed.message).toMatch(/BUSY/);
    expect(failed.hint).toMatch(/SCRIPT KILL/);
    const killer = new Redis({ port: busy.port, enableReadyCheck: false });
    killer.on('error', () => undefined);
    await killer.call('SCRIPT', 'KILL');
    killer.disconnect();
    expect(String(await script)).toMatch(/killed/i);
    const ok = await runJson(['doctor', '--url', busy.url, '--use', 'cache']);
    expect(byId(ok.json.checks, 'conn.ping').status).toBe('pass');
  });
});

describe('--wait stops early on failures that waiting does not heal', () => {
  it('WRONGPASS ends at once with the reason; a bad certificate too', async () => {
    const wrong = await runCli(
      ['doctor', '--url', `redis://watcher:nope@127.0.0.1:${noPing.port}`, '--wait', '60'],
      {
        timeoutMs: 20_000,
      },
    );
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toMatch(
      /not waiting: conn\.auth failed on the credentials, which waiting does not fix/,
    );
    const cert = await runCli(
      ['doctor', '--url', `rediss://127.0.0.1:${mtls.port}`, '--cacert', certs.ca, '--wait', '60'],
      {
        timeoutMs: 20_000,
      },
    );
    expect(cert.exitCode).toBe(1);
    expect(cert.stderr).toMatch(/not waiting: conn\.tls failed/);
  });
});
