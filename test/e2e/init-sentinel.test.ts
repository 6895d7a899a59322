import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { lintCompose } from '../helpers/compose-lint.js';
import { makeFakeDocker, type FakeDocker } from '../helpers/fake-docker.js';
import { freePort } from '../helpers/ports.js';

let docker: FakeDocker;
beforeAll(() => {
  docker = makeFakeDocker();
});
afterAll(() => {
  if (docker) rmSync(docker.binDir, { recursive: true, force: true });
});

const project = (): string => mkdtempSync(join(tmpdir(), 'redis-ops-init-sentinel-'));
const envOf = (dir: string): Record<string, string> =>
  parseEnv(readFileSync(join(dir, '.env'), 'utf8')) as Record<string, string>;

async function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

/** A base port with the two after it free too. */
async function threeFree(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p + 2 < 55000 && (await isFree(p + 1)) && (await isFree(p + 2))) return p;
  }
}

describe('init --topology sentinel', () => {
  it('writes compose, six configs in redis/ and the sentinel variables; dclint and docker-compose config accept it', async () => {
    const dir = project();
    const { json, run } = await runJson(['init', dir, '--topology', 'sentinel', '--yes']);
    expect(run.exitCode).toBe(0);
    expect(json.files.map((f: { path: string }) => f.path)).toEqual([
      'compose.yaml',
      'redis/primary.conf',
      'redis/replica-1.conf',
      'redis/replica-2.conf',
      'redis/sentinel-1.conf',
      'redis/sentinel-2.conf',
      'redis/sentinel-3.conf',
      '.env',
      '.env.example',
      '.gitignore',
    ]);
    const env = envOf(dir);
    expect(env.REDIS_SENTINELS).toBe('127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381');
    expect(env.REDIS_SENTINEL_MASTER).toBe('mymaster');
    expect(env.REDIS_URL).toBe(
      `redis+sentinel://default:${env.REDIS_PASSWORD}@127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381/mymaster?sentinelPassword=${env.REDIS_PASSWORD}`,
    );
    expect(run.stdout).not.toContain(env.REDIS_PASSWORD ?? '');
    const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    expect(compose).not.toContain(env.REDIS_PASSWORD ?? '');
    expect(compose).toContain('"127.0.0.1:26379:26379"');
    expect(readFileSync(join(dir, 'redis/replica-1.conf'), 'utf8')).toContain('replicaof 127.0.0.1 6379');
    expect(readFileSync(join(dir, 'redis/sentinel-2.conf'), 'utf8')).toContain(
      'sentinel monitor mymaster 127.0.0.1 6379 2',
    );
    expect(lintCompose(join(dir, 'compose.yaml'))).toEqual([]);
    const config = await execa('docker-compose', ['-f', 'compose.yaml', 'config', '-q'], {
      cwd: dir,
      reject: false,
      env: { PATH: process.env.PATH ?? '' },
      extendEnv: false,
    });
    expect(config.stderr).toBe('');
    expect(config.exitCode).toBe(0);
    // A second run changes nothing.
    const again = await runJson(['init', dir, '--topology', 'sentinel', '--yes']);
    expect(again.json.changed).toBe(false);
  });

  it("leaves the project's own compose file alone: the topology goes to compose.sentinel.yaml", async () => {
    const dir = project();
    const mine = 'services:\n  web:\n    image: node:20-alpine   # mine\n';
    writeFileSync(join(dir, 'compose.yaml'), mine);
    const { json, run } = await runJson(['init', dir, '--topology', 'sentinel', '--yes']);
    expect(run.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(mine);
    expect(json.files[0].path).toBe('compose.sentinel.yaml');
    expect(json.notes[0]).toContain('compose.sentinel.yaml');
    expect(lintCompose(join(dir, 'compose.sentinel.yaml'))).toEqual([]);
  });

  it('refuses flags that do not apply, and an unknown topology (exit 2)', async () => {
    const bad = await runCli(['init', project(), '--topology', 'ring', '--yes']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('invalid --topology: ring');
    const use = await runCli(['init', project(), '--topology', 'sentinel', '--use', 'cache', '--yes']);
    expect(use.exitCode).toBe(2);
  });

  it('--up without Docker Compose starts the six nodes with redis-server, and doctor passes through the sentinels', async () => {
    const dir = project();
    const port = await threeFree();
    let sport = await threeFree();
    while (Math.abs(sport - port) < 3) sport = await threeFree();
    const { json, run } = await runJson(
      [
        'init',
        dir,
        '--topology',
        'sentinel',
        '--port',
        String(port),
        '--sentinel-port',
        String(sport),
        '--up',
      ],
      {
        env: {
          PATH: `${docker.binDir}:${process.env.PATH ?? ''}`,
          FAKE_DOCKER_LOG: docker.log,
          FAKE_DOCKER_MODE: 'no-compose',
        },
        timeoutMs: 90_000,
      },
    );
    const pids: number[] = (json.up?.services ?? [])
      .map((s: { pid: number | null }) => s.pid)
      .filter(Boolean);
    try {
      if (process.env.REDIS_OPS_TEST_PIDS)
        for (const pid of pids)
          writeFileSync(join(process.env.REDIS_OPS_TEST_PIDS, String(pid)), String(pid));
      expect(json.up.method).toBe('redis-server');
      expect(pids).toHaveLength(6);
      const d = json.up.doctor[0];
      const failing = d.checks.filter((c: { status: string }) => c.status === 'fail');
      expect(failing).toEqual([]);
      expect(d.sentinel.primary).toBe(`127.0.0.1:${port}`);
      expect(d.sentinel.sentinels.every((s: { ok: boolean }) => s.ok)).toBe(true);
      expect(json.up.ok).toBe(true);
      expect(run.exitCode).toBe(0);
      const env = envOf(dir);
      for (const pid of pids)
        expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(env.REDIS_PASSWORD ?? '');
      // redis-ops reads REDIS_URL (redis+sentinel://) from the project's .env.
      const stats = await runJson(['stats'], { cwd: dir });
      expect(stats.run.exitCode).toBe(0);
      expect(stats.json.nodes[0].address).toBe(`127.0.0.1:${port}`);
    } finally {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
});

describe('init --topology sentinel --up with Docker Compose (a fake docker)', () => {
  it('runs docker compose up -d on its own file, waits for the six health checks, then doctor', async () => {
    const dir = project();
    const from = docker.calls().length;
    const { json } = await runJson(
      ['init', dir, '--topology', 'sentinel', '--up', '--port', '1', '--sentinel-port', '10'],
      {
        env: {
          PATH: `${docker.binDir}:${process.env.PATH ?? ''}`,
          FAKE_DOCKER_LOG: docker.log,
          FAKE_DOCKER_MODE: 'ok',
        },
      },
    );
    const calls = docker.calls().slice(from);
    expect(calls[1]).toEqual(['compose', '-f', 'compose.yaml', '--env-file', '.env', 'up', '-d']);
    expect(calls[2]?.slice(0, 8)).toEqual([
      'compose',
      '-f',
      'compose.yaml',
      '--env-file',
      '.env',
      'ps',
      '--format',
      'json',
    ]);
    expect(json.up.method).toBe('docker');
    // Nothing really runs behind the fake: doctor says the sentinels do not answer.
    expect(json.up.ok).toBe(false);
    expect(json.up.doctor[0].checks[0]).toMatchObject({ id: 'sentinel.reach', status: 'fail' });
  });
});
