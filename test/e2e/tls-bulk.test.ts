import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCerts, type TestCerts } from '../helpers/certs.js';
import { runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

// stats --keys and flush move keys over raw pipes (resp-pipe.ts), not ioredis: they must carry
// TLS (CA, server name) and the password like every other connection.
let certs: TestCerts;
let server: RedisServer;
const PASSWORD = 'tls-Bulk-pw-1';

beforeAll(async () => {
  certs = makeCerts();
  server = await startRedis({
    tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca },
    password: PASSWORD,
  });
  const c = server.client();
  const p = c.pipeline();
  for (let i = 0; i < 300; i++) p.set(`cache:${i}`, 'v');
  for (let i = 0; i < 200; i++) p.set(`keep:${i}`, 'v');
  await p.exec();
});

afterAll(async () => {
  await server?.stop();
});

describe('bulk key work over TLS with a password', () => {
  const url = (): string => `rediss://:${PASSWORD}@localhost:${server.port}`;

  it('stats --keys counts every namespace', async () => {
    const { json, run } = await runJson(['stats', '--keys', '--url', url(), '--cacert', certs.ca]);
    expect(run.exitCode).toBe(0);
    const byPrefix = Object.fromEntries(
      json.namespaces.map((n: { prefix: string; keys: number }) => [n.prefix, n.keys]),
    );
    expect(byPrefix).toEqual({ 'cache:': 300, 'keep:': 200 });
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('flush deletes the namespace and nothing else', async () => {
    const { json, run } = await runJson(['flush', 'cache:', '--yes', '--url', url(), '--cacert', certs.ca]);
    expect(run.exitCode).toBe(0);
    expect(json.deleted).toBe(300);
    expect(await server.client().dbsize()).toBe(200);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });
});
