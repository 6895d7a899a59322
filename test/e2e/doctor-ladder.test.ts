import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCerts, type TestCerts } from '../helpers/certs.js';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { startRedis, startSilentListener, type RedisServer } from '../helpers/redis-server.js';
import { freePort } from '../helpers/ports.js';
import { type Check, byId } from '../helpers/doctor.js';

const PASSWORD = 'pw-Sup3r-s3cret';
let plain: RedisServer;
let withPassword: RedisServer;
let withAcl: RedisServer;
let noConfig: RedisServer;
let tlsServer: RedisServer;
let tlsShort: RedisServer;
let tlsWrongHost: RedisServer;
let cluster: TestCluster;
let certs: TestCerts;

beforeAll(async () => {
  certs = makeCerts();
  [plain, withPassword, withAcl, noConfig, tlsServer, tlsShort, tlsWrongHost, cluster] = await Promise.all([
    startRedis(),
    startRedis({ password: PASSWORD }),
    startRedis({ acl: ['user app on >app-Secret-pw ~* &* +@all', 'user default off'] }),
    startRedis({ noConfig: true }),
    startRedis({ tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca } }),
    startRedis({ tls: { cert: certs.shortLived.cert, key: certs.shortLived.key, ca: certs.ca } }),
    startRedis({ tls: { cert: certs.wrongHost.cert, key: certs.wrongHost.key, ca: certs.ca } }),
    startCluster(),
  ]);
});

afterAll(async () => {
  await Promise.all(
    [plain, withPassword, withAcl, noConfig, tlsServer, tlsShort, tlsWrongHost].map((s) => s?.stop()),
  );
  await cluster?.stop();
});

describe('doctor: a healthy server', () => {
  it('passes every rung and prints the documented JSON', async () => {
    const { json, run } = await runJson(['doctor', '--url', plain.url]);
    expect(run.exitCode).toBe(0);
    expect(json.target).toBe(`redis://127.0.0.1:${plain.port}`);
    expect(json.provider).toBe('local');
    expect(json.server).toEqual({
      engine: 'redis',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      mode: 'standalone',
      role: 'master',
    });
    // The ladder comes first, in order; the fitness checks follow it.
    const ladder = json.checks.slice(0, 8);
    expect(ladder.map((c: Check) => c.id)).toEqual([
      'conn.dns',
      'conn.tcp',
      'conn.protocol',
      'conn.auth',
      'conn.ping',
      'server.info',
      'server.provider',
      'server.topology',
    ]);
    expect(ladder.every((c: Check) => c.status === 'pass' && c.hint === null)).toBe(true);
    expect(json.checks[8].id).toBe('server.writable');
    expect(json.summary.fail).toBe(0);
    expect(json.ok).toBe(true);
    expect(byId(json.checks, 'conn.ping').message).toMatch(
      /p50 [\d.]+ ms, p90 [\d.]+ ms, max [\d.]+ ms over 20 pings/,
    );
  });

  it('prints a check list and a summary line', async () => {
    const run = await runCli(['doctor', '--url', plain.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`redis-ops doctor  redis://127.0.0.1:${plain.port}`);
    expect(run.stdout).toMatch(/✔ conn\.tcp/);
    expect(run.stdout).toMatch(/healthy: \d+ passed, \d+ warnings, 0 failed, \d+ skipped/);
    expect(run.stderr).toBe('');
  });

  it('works where CONFIG is renamed away (ElastiCache)', async () => {
    const { json, run } = await runJson(['doctor', '--url', noConfig.url]);
    expect(run.exitCode).toBe(0);
    expect(json.ok).toBe(true);
  });
});

describe('doctor: each rung fails with its hint', () => {
  it('conn.dns: a host that does not resolve', async () => {
    const { json, run } = await runJson(['doctor', '--url', 'redis://no-such-host.invalid:6380']);
    expect(run.exitCode).toBe(1);
    expect(json.server).toBeNull();
    const dns = byId(json.checks, 'conn.dns');
    expect(dns.status).toBe('fail');
    expect(dns.hint).toMatch(/service name/);
    expect(json.checks.slice(1).every((c: Check) => c.status === 'skip')).toBe(true);
  });

  it('conn.tcp: nothing listening', async () => {
    const port = await freePort();
    const { json, run } = await runJson(['doctor', '--url', `redis://127.0.0.1:${port}`]);
    expect(run.exitCode).toBe(1);
    const tcp = byId(json.checks, 'conn.tcp');
    expect(tcp.status).toBe('fail');
    expect(tcp.message).toMatch(/ECONNREFUSED/);
    expect(tcp.hint).toMatch(/nothing is listening/);
    expect(json.summary).toEqual({ pass: 1, warn: 0, fail: 1, skip: json.checks.length - 2 });
    expect(byId(json.checks, 'mem.policy').message).toBe('not run: the server was not reached');
  });

  it('conn.protocol: a TLS client on a plaintext port is detected, not hung', async () => {
    const started = Date.now();
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `rediss://127.0.0.1:${plain.port}`,
      '--timeout',
      '3000',
    ]);
    expect(Date.now() - started).toBeLessThan(3000 + 2000);
    expect(run.exitCode).toBe(1);
    const p = byId(json.checks, 'conn.protocol');
    expect(p.status).toBe('fail');
    expect(p.hint).toMatch(/use redis:\/\//);
    expect(byId(json.checks, 'conn.tls').status).toBe('skip');
  });

  it('conn.protocol: a plaintext client on a TLS port', async () => {
    const { json, run } = await runJson(['doctor', '--url', `redis://127.0.0.1:${tlsServer.port}`]);
    expect(run.exitCode).toBe(1);
    const p = byId(json.checks, 'conn.protocol');
    expect(p.status).toBe('fail');
    expect(p.hint).toMatch(/use rediss:\/\//);
  });

  it('conn.protocol: a port that accepts and never answers ends within the timeout', async () => {
    const silent = await startSilentListener();
    try {
      const started = Date.now();
      const { json, run } = await runJson([
        'doctor',
        '--url',
        `redis://127.0.0.1:${silent.port}`,
        '--timeout',
        '1000',
      ]);
      expect(Date.now() - started).toBeLessThan(1000 + 2000);
      expect(run.exitCode).toBe(1);
      expect(byId(json.checks, 'conn.protocol').status).toBe('fail');
      expect(byId(json.checks, 'conn.protocol').message).toMatch(/sent nothing back within 1000 ms/);
    } finally {
      await silent.stop();
    }
  });

  it('conn.tls: passes with the CA and shows the expiry date', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `rediss://localhost:${tlsServer.port}`,
      '--cacert',
      certs.ca,
    ]);
    expect(run.exitCode).toBe(0);
    const tls = byId(json.checks, 'conn.tls');
    expect(tls.status).toBe('pass');
    expect(tls.message).toMatch(
      /TLSv1\.[23], certificate for localhost verified, valid until \d{4}-\d\d-\d\d/,
    );
    expect(byId(json.checks, 'conn.protocol').message).toMatch(/both use TLS/);
  });

  it('conn.tls: an unknown CA fails with the --cacert hint', async () => {
    const { json, run } = await runJson(['doctor', '--url', `rediss://localhost:${tlsServer.port}`]);
    expect(run.exitCode).toBe(1);
    const tls = byId(json.checks, 'conn.tls');
    expect(tls.status).toBe('fail');
    expect(tls.hint).toMatch(/--cacert/);
  });

  it('conn.tls: a certificate for another host fails with the --sni hint', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `rediss://localhost:${tlsWrongHost.port}`,
      '--cacert',
      certs.ca,
    ]);
    expect(run.exitCode).toBe(1);
    const tls = byId(json.checks, 'conn.tls');
    expect(tls.status).toBe('fail');
    expect(tls.hint).toMatch(/--sni/);
  });

  it('conn.tls: --sni with the certificate name makes it pass', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `rediss://127.0.0.1:${tlsWrongHost.port}`,
      '--cacert',
      certs.ca,
      '--sni',
      'wrong.example',
    ]);
    expect(byId(json.checks, 'conn.tls').status).toBe('pass');
    expect(run.exitCode).toBe(0);
  });

  it('conn.tls: a certificate expiring in 10 days is a warning with the date', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `rediss://localhost:${tlsShort.port}`,
      '--cacert',
      certs.ca,
    ]);
    expect(run.exitCode).toBe(0);
    const tls = byId(json.checks, 'conn.tls');
    expect(tls.status).toBe('warn');
    expect(tls.message).toMatch(/expires on \d{4}-\d\d-\d\d \((9|10) days left\)/);
  });

  it('conn.tls: --insecure warns on stderr and in the check', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `rediss://localhost:${tlsServer.port}`,
      '--insecure',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/verification is off/);
    expect(byId(json.checks, 'conn.tls').status).toBe('warn');
  });

  it('conn.auth: a missing password', async () => {
    const { json, run } = await runJson(['doctor', '--url', `redis://127.0.0.1:${withPassword.port}`]);
    expect(run.exitCode).toBe(1);
    const auth = byId(json.checks, 'conn.auth');
    expect(auth.status).toBe('fail');
    expect(auth.hint).toMatch(/needs a password/);
  });

  it('conn.auth: a wrong password, never printed', async () => {
    const run = await runCli(['doctor', '--url', `redis://:wrong-Pa55word@127.0.0.1:${withPassword.port}`]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✖ conn\.auth/);
    expect(run.stdout).toMatch(/wrong user or password/);
    expect(run.stdout).toContain(`redis://default:***@127.0.0.1:${withPassword.port}`);
    expect(run.stdout + run.stderr).not.toContain('wrong-Pa55word');
  });

  it('conn.auth: the right password passes and is never printed', async () => {
    const { json, run } = await runJson(['doctor', '--url', withPassword.url]);
    expect(run.exitCode).toBe(0);
    expect(byId(json.checks, 'conn.auth').message).toBe('authenticated as default');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('conn.auth: an ACL user', async () => {
    const ok = await runJson(['doctor', '--url', `redis://app:app-Secret-pw@127.0.0.1:${withAcl.port}`]);
    expect(ok.run.exitCode).toBe(0);
    expect(byId(ok.json.checks, 'conn.auth').message).toBe('authenticated as app');
    const bad = await runJson(['doctor', '--url', `redis://app:nope-nope@127.0.0.1:${withAcl.port}`]);
    expect(bad.run.exitCode).toBe(1);
    expect(byId(bad.json.checks, 'conn.auth').hint).toMatch(/user name/);
    expect(JSON.stringify(bad.json)).not.toContain('nope-nope');
  });
});

describe('doctor: topology', () => {
  it('reaches a 3-primary cluster as a cluster, detected from INFO', async () => {
    const { json, run } = await runJson(['doctor', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    expect(json.server.mode).toBe('cluster');
    expect(byId(json.checks, 'server.topology').message).toMatch(/cluster of 3 primaries, all reached/);
  });

  it('--cluster against a standalone server fails with a hint', async () => {
    const { json, run } = await runJson(['doctor', '--url', plain.url, '--cluster']);
    expect(run.exitCode).toBe(1);
    const t = byId(json.checks, 'server.topology');
    expect(t.status).toBe('fail');
    expect(t.hint).toMatch(/drop --cluster/);
  });
});

describe('doctor: clusters with credentials and TLS', () => {
  it('carries the password to every node', async () => {
    const secured = await startCluster({ password: 'cluster-Pw-1' });
    try {
      const { json, run } = await runJson([
        'doctor',
        '--url',
        `redis://:cluster-Pw-1@127.0.0.1:${secured.nodes[0]?.port}`,
      ]);
      expect(run.exitCode).toBe(0);
      expect(byId(json.checks, 'server.topology').message).toMatch(/cluster of 3 primaries, all reached/);
      expect(run.stdout).not.toContain('cluster-Pw-1');
    } finally {
      await secured.stop();
    }
  });

  it('carries TLS settings (CA, server name) to every node', async () => {
    const tlsCluster = await startCluster({
      tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca },
    });
    try {
      const { json, run } = await runJson([
        'doctor',
        '--url',
        `rediss://localhost:${tlsCluster.nodes[0]?.port}`,
        '--cacert',
        certs.ca,
      ]);
      expect(run.exitCode).toBe(0);
      expect(byId(json.checks, 'conn.tls').status).toBe('pass');
      expect(byId(json.checks, 'server.topology').message).toMatch(/cluster of 3 primaries, all reached/);
    } finally {
      await tlsCluster.stop();
    }
  });
});

describe('doctor: a server still loading its dataset', () => {
  it('conn.ping fails with LOADING and says to wait', async () => {
    const source = await startRedis({ config: ['enable-debug-command yes'] });
    const c = source.client();
    await c.call('DEBUG', 'POPULATE', '20000');
    await c.call('SAVE');
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-rdb-'));
    copyFileSync(join(source.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
    await source.stop();
    // key-load-delay (µs per key) keeps the server in LOADING for ~10 s.
    const loading = await startRedis({
      config: [`dir ${dir}`, 'key-load-delay 500', 'loading-process-events-interval-bytes 1024'],
    });
    try {
      const { json, run } = await runJson(['doctor', '--url', loading.url]);
      expect(run.exitCode).toBe(1);
      const ping = byId(json.checks, 'conn.ping');
      expect(ping.status).toBe('fail');
      expect(ping.message).toMatch(/LOADING/);
      expect(ping.hint).toMatch(/loading its dataset/);
    } finally {
      await loading.stop();
    }
  });
});

describe('doctor: where the target comes from', () => {
  it('REDIS_URL from the environment', async () => {
    const { json } = await runJson(['doctor'], { env: { REDIS_URL: plain.url } });
    expect(json.target).toBe(`redis://127.0.0.1:${plain.port}`);
    expect(json.ok).toBe(true);
  });

  it('REDIS_HOST, REDIS_PORT and REDIS_PASSWORD', async () => {
    const { json, run } = await runJson(['doctor'], {
      env: { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(withPassword.port), REDIS_PASSWORD: PASSWORD },
    });
    expect(json.target).toBe(`redis://default:***@127.0.0.1:${withPassword.port}`);
    expect(json.ok).toBe(true);
    expect(run.stdout).not.toContain(PASSWORD);
  });
});
