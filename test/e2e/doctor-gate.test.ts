import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { parseXml } from '../helpers/xml.js';
import { type Check, byId, project } from '../helpers/doctor.js';

let plain: RedisServer; // defaults: noeviction, no maxmemory → warnings for a cache
let queues: RedisServer; // BullMQ queues with an old waiting job and failed jobs, cache misses

beforeAll(async () => {
  [plain, queues] = await Promise.all([
    startRedis(),
    startRedis({ config: ['maxmemory 64mb', 'maxmemory-policy noeviction', 'appendonly yes'] }),
  ]);
  const connection = { host: '127.0.0.1', port: queues.port };
  const q = new Queue('reports', { connection });
  await q.add('old', {}, { timestamp: Date.now() - 3_600_000 });
  const failing = new Queue('billing', { connection });
  await failing.add('charge', {});
  await failing.add('charge', {});
  const worker = new Worker(
    'billing',
    async () => {
      throw new Error('card declined');
    },
    { connection },
  );
  await new Promise<void>((resolve) => {
    let n = 0;
    worker.on('failed', () => ++n === 2 && resolve());
  });
  await worker.close();
  await Promise.all([q.close(), failing.close()]);
  const admin = queues.client();
  for (let i = 0; i < 3; i++) await admin.get(`missing:${i}`);
  await admin.set('present', '1');
  await admin.get('present');
});

afterAll(async () => {
  await Promise.all([plain, queues].map((s) => s?.stop()));
});

describe('doctor --fail-on', () => {
  it('warnings pass by default and fail with --fail-on warn', async () => {
    const a = await runJson(['doctor', '--url', plain.url, '--use', 'cache']);
    expect(a.run.exitCode).toBe(0);
    expect(a.json.summary.warn).toBeGreaterThan(0);
    expect(a.json).toMatchObject({ failOn: 'fail', ok: true });
    const b = await runJson(['doctor', '--url', plain.url, '--use', 'cache', '--fail-on', 'warn']);
    expect(b.run.exitCode).toBe(1);
    expect(b.json).toMatchObject({ failOn: 'warn', ok: false });
    const text = await runCli(['doctor', '--url', plain.url, '--use', 'cache', '--fail-on', 'warn']);
    expect(text.stdout).toMatch(/^unhealthy: .* \(--fail-on warn\)$/m);
  });

  it('a bad --fail-on or --use is a usage error (exit 2)', async () => {
    const r = await runCli(['doctor', '--url', plain.url, '--fail-on', 'sometimes']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect((await runCli(['doctor', '--url', plain.url, '--json', '--format', 'junit'])).exitCode).toBe(2);
  });
});

describe('doctor gate thresholds', () => {
  it('from flags: failed jobs, waiting age, hit ratio, memory', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      queues.url,
      '--max-failed-jobs',
      '1',
      '--max-waiting-age',
      '60',
      '--min-hit-ratio',
      '0.9',
      '--max-memory-pct',
      '90',
    ]);
    expect(run.exitCode).toBe(1);
    expect(json.checks.slice(-4).map((c: Check) => c.id)).toEqual([
      'gate.minHitRatio',
      'gate.maxMemoryPct',
      'gate.maxFailedJobs',
      'gate.maxWaitingAge',
    ]);
    expect(byId(json.checks, 'gate.maxFailedJobs')).toMatchObject({
      status: 'fail',
      message: '2 failed jobs in 2 queue(s), maximum 1: bull:billing 2',
    });
    const age = byId(json.checks, 'gate.maxWaitingAge');
    expect(age.status).toBe('fail');
    expect(age.message).toMatch(/^oldest waiting job is 36\d\d s old, maximum 60 s: bull:reports 36\d\d$/);
    expect(byId(json.checks, 'gate.minHitRatio')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^hit ratio 0\.\d+ \([\d,]+ hits, [\d,]+ misses\), minimum 0\.9$/),
    });
    expect(byId(json.checks, 'gate.maxMemoryPct').status).toBe('pass');
  });

  it('from redis-ops.yaml, with a named target expanded from .env; flags override the file', async () => {
    const dir = project({
      'redis-ops.yaml': [
        'use: queue',
        'gate:',
        '  maxFailedJobs: 1',
        '  maxWaitingAgeSeconds: 7200',
        '  minHitRatio: 0.1',
        'targets:',
        '  ci:',
        '    url: ${CI_REDIS_URL}',
        '',
      ].join('\n'),
      '.env': `CI_REDIS_URL=${queues.url}\n`,
    });
    const a = await runJson(['doctor', '--target', 'ci'], { cwd: dir });
    expect(a.json.target).toBe(`redis://127.0.0.1:${queues.port}`);
    // Issue 15: where `use` came from is said (it was reported as the flag --use).
    expect(a.json.use).toEqual({ value: 'queue', source: 'config', reason: 'use: queue in redis-ops.yaml' });
    expect(byId(a.json.checks, 'gate.maxFailedJobs').status).toBe('fail');
    expect(byId(a.json.checks, 'gate.maxWaitingAge').status).toBe('pass');
    expect(byId(a.json.checks, 'gate.minHitRatio').status).toBe('pass');
    expect(a.run.exitCode).toBe(1);
    const b = await runJson(['doctor', '--target', 'ci', '--max-failed-jobs', '5'], { cwd: dir });
    expect(byId(b.json.checks, 'gate.maxFailedJobs').status).toBe('pass');
    expect(b.run.exitCode).toBe(0);
  });

  it('--config names the file; a malformed file is exit 2 naming the line', async () => {
    const dir = project({ 'ops.yaml': 'gate:\n  maxFailedJobs: 1\n bad: [\n' });
    const r = await runCli(['doctor', '--url', queues.url, '--config', 'ops.yaml'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^✖ ops\.yaml line 3: /);
    const typed = await runCli(['doctor', '--url', queues.url], {
      cwd: project({ 'redis-ops.yaml': 'gate:\n  maxMemoryPct: high\n' }),
    });
    expect(typed.exitCode).toBe(2);
    expect(typed.stderr).toContain('✖ redis-ops.yaml line 2: gate.maxMemoryPct must be a number ≥ 0');
  });

  it('an unknown target or an unset variable is exit 2 with a hint', async () => {
    const dir = project({ 'redis-ops.yaml': 'targets:\n  prod:\n    url: ${PROD_REDIS_URL}\n' });
    const unknown = await runCli(['doctor', '--target', 'staging'], { cwd: dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe('✖ no target "staging" in redis-ops.yaml\n  hint: known targets: prod');
    const unset = await runCli(['doctor', '--target', 'prod'], { cwd: dir });
    expect(unset.exitCode).toBe(2);
    expect(unset.stderr).toBe(
      '✖ redis-ops.yaml line 3: PROD_REDIS_URL is not set\n  hint: set PROD_REDIS_URL in the environment or in .env',
    );
  });
});

describe('doctor --format junit', () => {
  it('prints well-formed JUnit XML with one testcase per check', async () => {
    const { json } = await runJson(['doctor', '--url', queues.url, '--max-failed-jobs', '0']);
    const r = await runCli(['doctor', '--url', queues.url, '--max-failed-jobs', '0', '--format', 'junit']);
    expect(r.exitCode).toBe(1);
    const doc = parseXml(r.stdout);
    const cases = doc.children[0]!.children;
    expect(cases.map((c) => c.attrs.name)).toEqual(json.checks.map((c: Check) => c.id));
    expect(doc.attrs.tests).toBe(String(json.checks.length));
    const failed = cases.filter((c) => c.children.some((x) => x.name === 'failure')).map((c) => c.attrs.name);
    expect(failed).toEqual(json.checks.filter((c: Check) => c.status === 'fail').map((c: Check) => c.id));
    expect(failed).toContain('gate.maxFailedJobs');
    const skipped = cases.filter((c) => c.children.some((x) => x.name === 'skipped')).length;
    expect(doc.attrs.skipped).toBe(String(skipped));
  });
});

describe('doctor --wait', () => {
  it('retries until a server that starts two seconds late answers', async () => {
    const port = await freePort();
    const started = Date.now();
    const pending = runJson([
      'doctor',
      '--url',
      `redis://127.0.0.1:${port}`,
      '--wait',
      '20',
      '--use',
      'cache',
    ]);
    await new Promise((r) => setTimeout(r, 2000));
    const late = await startRedis({ port });
    try {
      const { json, run } = await pending;
      expect(run.exitCode).toBe(0);
      expect(byId(json.checks, 'conn.tcp').status).toBe('pass');
      expect(byId(json.checks, 'mem.policy').status).not.toBe('skip');
      expect(run.stderr).toMatch(
        /^waiting for redis:\/\/127\.0\.0\.1:\d+: conn\.tcp .*ECONNREFUSED.*\(attempt 1, \d+ s left\)$/m,
      );
      expect(run.stderr).toMatch(/reached redis:\/\/127\.0\.0\.1:\d+ after \d+ attempts/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await late.stop();
    }
  });

  it('gives up when the time is over, with the last ladder result', async () => {
    const port = await freePort();
    const started = Date.now();
    const { json, run } = await runJson([
      'doctor',
      '--url',
      `redis://127.0.0.1:${port}`,
      '--wait',
      '1',
      '--timeout',
      '1000',
    ]);
    expect(run.exitCode).toBe(1);
    expect(byId(json.checks, 'conn.tcp').status).toBe('fail');
    expect(Date.now() - started).toBeLessThan(1000 + 1000 + 3000);
  });
});
