import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCerts, type TestCerts } from '../helpers/certs.js';
import { runCli, runJson } from '../helpers/cli.js';
import { startSentinelTopology, type SentinelTopology } from '../helpers/sentinel.js';

// TLS everywhere: data nodes, replication, and the sentinels' own port (rediss+sentinel://).
const DATA_PW = 'tls-data-Secret';
let certs: TestCerts;
let t: SentinelTopology;

beforeAll(async () => {
  certs = makeCerts();
  t = await startSentinelTopology({ password: DATA_PW, tls: { ...certs.server, ca: certs.ca } });
});

afterAll(async () => {
  await t?.stop();
});

describe('sentinel over TLS', () => {
  it('stats reaches the primary through TLS sentinels with --cacert', async () => {
    const { json, run } = await runJson(['stats', '--url', t.url(), '--cacert', certs.ca]);
    expect(run.exitCode).toBe(0);
    expect(json.nodes[0]).toMatchObject({ address: `127.0.0.1:${t.primary.port}`, role: 'master' });
    expect(run.stdout + run.stderr).not.toContain(DATA_PW);
  });

  it('doctor: sentinel ladder and TLS rung pass against the primary', async () => {
    const { json, run } = await runJson(['doctor', '--url', t.url(), '--cacert', certs.ca]);
    const status = Object.fromEntries(
      json.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    expect(status).toMatchObject({
      'sentinel.reach': 'pass',
      'sentinel.master': 'pass',
      'sentinel.announce': 'pass',
      'conn.protocol': 'pass',
      'conn.tls': 'pass',
      'conn.auth': 'pass',
    });
    expect(run.stdout).not.toContain(DATA_PW);
  });

  it('without the CA the sentinels are refused with the certificate hint (verification stays on)', async () => {
    const run = await runCli(['stats', '--url', t.url()]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/certificate/i);
    expect(run.stderr).toContain('hint:');
  });
});
