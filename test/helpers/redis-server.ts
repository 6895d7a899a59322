import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

/**
 * Real redis-server processes for tests: each on a free port in its own temp dir, killed by
 * stop(), by the process exit hook, and at the very end by global-setup's teardown.
 */
export interface RedisServerOptions {
  /** Extra config lines, e.g. ['maxmemory-policy allkeys-lru']. */
  config?: string[];
  password?: string;
  /** ACL rules, e.g. ['user app on >secret ~* &* +@all -@scripting']. */
  acl?: string[];
  /** Serve TLS only, with these files (see certs.ts). */
  tls?: { cert: string; key: string; ca: string };
  /** rename-command CONFIG "" as on ElastiCache. */
  noConfig?: boolean;
  cluster?: boolean;
  /** Use this port instead of a free one (e.g. to start a server late on a known port). */
  port?: number;
  /** Extra command-line arguments after the config file, e.g. ['--sentinel']. */
  args?: string[];
  /** Extra environment for the server process (e.g. LD_PRELOAD of test/helpers/clock-shift.c). */
  env?: Record<string, string>;
}

export interface RedisServer {
  port: number;
  host: string;
  url: string;
  dir: string;
  proc: ChildProcess;
  /** An ioredis client with admin rights (password / TLS applied); closed by stop(). */
  client(): Redis;
  stop(): Promise<void>;
}

const live = new Set<RedisServer>();
process.on('exit', () => {
  for (const s of live) s.proc.kill('SIGKILL');
});

function registerPid(pid: number): string | undefined {
  const dir = process.env.REDIS_OPS_TEST_PIDS;
  if (!dir) return undefined;
  const file = join(dir, `${pid}`);
  writeFileSync(file, String(pid));
  return file;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server on ${port} did not start within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

export async function startRedis(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'redis-ops-srv-'));
  const lines = [
    'bind 127.0.0.1',
    `dir ${dir}`,
    'save ""',
    'appendonly no',
    'daemonize no',
    `logfile ${join(dir, 'redis.log')}`,
    'protected-mode no',
  ];
  if (opts.tls) {
    lines.push(
      'port 0',
      `tls-port ${port}`,
      `tls-cert-file ${opts.tls.cert}`,
      `tls-key-file ${opts.tls.key}`,
      `tls-ca-cert-file ${opts.tls.ca}`,
      'tls-auth-clients no',
    );
    if (opts.cluster) lines.push('tls-cluster yes');
  } else {
    lines.push(`port ${port}`);
  }
  if (opts.password) lines.push(`requirepass "${opts.password}"`);
  if (opts.noConfig) lines.push('rename-command CONFIG ""');
  if (opts.cluster)
    lines.push(
      'cluster-enabled yes',
      `cluster-config-file ${join(dir, 'nodes.conf')}`,
      'cluster-node-timeout 5000',
    );
  lines.push(...(opts.config ?? []));
  for (const rule of opts.acl ?? []) lines.push(rule);
  const confPath = join(dir, 'redis.conf');
  writeFileSync(confPath, `${lines.join('\n')}\n`);

  const proc = spawn('redis-server', [confPath, ...(opts.args ?? [])], {
    stdio: 'ignore',
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
  });
  const pidFile = proc.pid ? registerPid(proc.pid) : undefined;
  await waitForPort(port, 10_000);

  const clients: Redis[] = [];
  const server: RedisServer = {
    port,
    host: '127.0.0.1',
    url: `${opts.tls ? 'rediss' : 'redis'}://${opts.password ? `:${encodeURIComponent(opts.password)}@` : ''}127.0.0.1:${port}`,
    dir,
    proc,
    client() {
      const c = new Redis({
        host: '127.0.0.1',
        port,
        password: opts.password,
        tls: opts.tls ? { ca: [readFileSync(opts.tls.ca)], servername: 'localhost' } : undefined,
        maxRetriesPerRequest: 1,
        lazyConnect: false,
      });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      live.delete(server);
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      if (pidFile) {
        try {
          unlinkSync(pidFile);
        } catch {
          // already removed
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(server);
  return server;
}

/** A TCP listener that accepts connections and never says a word (a black hole). */
export async function startSilentListener(): Promise<{ port: number; stop(): Promise<void> }> {
  const { createServer } = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const srv = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  const port = await freePort();
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
  return {
    port,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}
