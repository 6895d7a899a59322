import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { makeFakeDocker, type FakeDocker } from '../helpers/fake-docker.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

const PASSWORD = 'up-Test-pw-0123456789';
let server: RedisServer;
let docker: FakeDocker;

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
  docker = makeFakeDocker();
});
afterAll(async () => {
  await server?.stop();
  if (docker) rmSync(docker.binDir, { recursive: true, force: true });
});

const project = (envText: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'redis-ops-init-up-'));
  writeFileSync(join(dir, '.env'), envText, { mode: 0o600 });
  return dir;
};
const withDocker = (mode: string): { env: Record<string, string> } => ({
  env: {
    PATH: `${docker.binDir}:${process.env.PATH ?? ''}`,
    FAKE_DOCKER_LOG: docker.log,
    FAKE_DOCKER_MODE: mode,
  },
});
const lastCalls = (from: number): string[][] => docker.calls().slice(from);

describe('init --up with Docker Compose (a fake docker that records its arguments)', () => {
  it('runs docker compose up -d <service>, waits for healthy, then doctor passes', async () => {
    // The service "started by compose" is a real redis-server with the password from .env.
    const dir = project(`REDIS_PASSWORD=${PASSWORD}\nREDIS_PORT=${server.port}\n`);
    const from = docker.calls().length;
    const { json, run } = await runJson(['init', dir, '--up'], withDocker('ok'));
    expect(run.exitCode).toBe(0);
    expect(lastCalls(from)).toEqual([
      ['compose', 'version'],
      ['compose', '-f', 'compose.yaml', '--env-file', '.env', 'up', '-d', 'redis'],
      ['compose', '-f', 'compose.yaml', '--env-file', '.env', 'ps', '--format', 'json', 'redis'],
    ]);
    expect(json.up).toMatchObject({
      method: 'docker',
      ok: true,
      message: 'redis healthy and reachable',
      services: [{ name: 'redis', port: server.port, pid: null }],
    });
    expect(json.up.doctor).toHaveLength(1);
    expect(json.up.doctor[0]).toMatchObject({
      target: `redis://default:***@127.0.0.1:${server.port}`,
      ok: true,
    });
    expect(json.up.doctor[0].checks.find((c: { id: string }) => c.id === 'conn.auth').status).toBe('pass');
    expect(run.stdout).not.toContain(PASSWORD);
    expect(run.stderr).toContain('starting redis with docker compose...');
  });

  it('--use both starts both services in one call', async () => {
    const dir = project(
      `REDIS_PASSWORD=${PASSWORD}\nREDIS_CACHE_PORT=${server.port}\nREDIS_QUEUE_PORT=${server.port}\n`,
    );
    const from = docker.calls().length;
    const { json, run } = await runJson(['init', dir, '--use', 'both', '--up'], withDocker('ok'));
    expect(run.exitCode).toBe(0);
    expect(lastCalls(from)[1]).toEqual([
      'compose',
      '-f',
      'compose.yaml',
      '--env-file',
      '.env',
      'up',
      '-d',
      'redis-cache',
      'redis-queue',
    ]);
    expect(json.up.doctor.map((d: { ok: boolean }) => d.ok)).toEqual([true, true]);
  });

  it('an unhealthy service: exit 1, says so, the files stay written', async () => {
    const dir = project('');
    const { json, run } = await runJson(['init', dir, '--up'], withDocker('unhealthy'));
    expect(run.exitCode).toBe(1);
    expect(json.up).toMatchObject({
      method: 'docker',
      ok: false,
      message: 'redis is unhealthy: see docker compose logs redis',
      doctor: [],
    });
    expect(json.changed).toBe(true);
  });

  it('docker compose up fails: exit 1 with its error', async () => {
    const dir = project('');
    const { json, run } = await runJson(['init', dir, '--up'], withDocker('up-fails'));
    expect(run.exitCode).toBe(1);
    expect(json.up.message).toBe('docker compose up failed: Error response from daemon: pull access denied');
  });
});

describe('init --up without Docker Compose', () => {
  it('starts redis-server with the generated config, and doctor passes against it', async () => {
    const port = await freePort();
    const dir = project(`REDIS_PORT=${port}\n`);
    const { json, run } = await runJson(['init', dir, '--use', 'queue', '--up'], withDocker('no-compose'));
    const pid: number | null = json.up?.services?.[0]?.pid ?? null;
    try {
      if (pid && process.env.REDIS_OPS_TEST_PIDS)
        writeFileSync(join(process.env.REDIS_OPS_TEST_PIDS, String(pid)), String(pid));
      expect(run.exitCode).toBe(0);
      expect(json.up.method).toBe('redis-server');
      expect(json.up.ok).toBe(true);
      expect(json.up.message).toMatch(
        new RegExp(
          `^redis-server running \\(Docker Compose is not available: docker compose does not work here \\(docker: unknown command: docker compose\\)\\); stop it with: kill ${pid}$`,
        ),
      );
      expect(json.up.doctor[0].ok).toBe(true);
      // Issue 15: the service is judged as what init wrote it for (it was judged as a cache,
      // and advised allkeys-lru, undoing init's noeviction).
      expect(json.up.doctor[0].use).toMatchObject({ value: 'queue' });
      expect(JSON.stringify(json.up.doctor[0].checks)).not.toContain('allkeys-lru');
      expect(run.stderr).toContain(`starting redis-server on 127.0.0.1:${port}`);

      // The server runs the generated config, with the password from .env.
      const vars = parseEnv(readFileSync(join(dir, '.env'), 'utf8')) as Record<string, string>;
      const client = new Redis(vars.REDIS_URL ?? '', { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      client.disconnect();
      // And the doctor command finds it through REDIS_URL in .env.
      const doctor = await runJson(['doctor'], { cwd: dir });
      expect(doctor.run.exitCode).toBe(0);
      // The password never reached a command line.
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(vars.REDIS_PASSWORD);
    } finally {
      if (pid) process.kill(pid, 'SIGKILL');
      rmSync(join(tmpdir(), `redis-ops-redis-${port}`), { recursive: true, force: true });
    }
  });

  it('--image valkey without valkey-server on PATH says that redis-server stands in', async () => {
    const port = await freePort();
    const dir = project(`REDIS_PORT=${port}\n`);
    const { json, run } = await runJson(['init', dir, '--image', 'valkey', '--up'], withDocker('no-compose'));
    const pid: number | null = json.up?.services?.[0]?.pid ?? null;
    try {
      if (pid && process.env.REDIS_OPS_TEST_PIDS)
        writeFileSync(join(process.env.REDIS_OPS_TEST_PIDS, String(pid)), String(pid));
      expect(run.exitCode).toBe(0);
      expect(json.up.message).toContain(
        'valkey-server is not on PATH: redis-server stands in for the valkey image',
      );
      expect(run.stderr).toContain('valkey-server is not on PATH');
    } finally {
      if (pid) process.kill(pid, 'SIGKILL');
      rmSync(join(tmpdir(), `redis-ops-redis-${port}`), { recursive: true, force: true });
    }
  });

  it('without redis-server either: says so, exit 1', async () => {
    // A PATH with node and the fake docker only.
    const bin = mkdtempSync(join(tmpdir(), 'redis-ops-bin-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync(join(docker.binDir, 'docker'), join(bin, 'docker'));
    const dir = project('');
    const { json, run } = await runJson(['init', dir, '--up'], {
      env: { PATH: bin, FAKE_DOCKER_LOG: docker.log, FAKE_DOCKER_MODE: 'no-compose' },
    });
    expect(run.exitCode).toBe(1);
    expect(json.up).toMatchObject({ method: 'none', ok: false });
    expect(json.up.message).toContain(
      'redis-server is not on PATH: install Docker with the compose plugin, then run docker compose up -d redis',
    );
    rmSync(bin, { recursive: true, force: true });
  });
});
