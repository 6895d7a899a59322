import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { type Check, byId, project } from '../helpers/doctor.js';
import { assertJsonShape } from '../helpers/json-shape.js';

const TOKEN = 'AXrest-Token-0123456789abcdef';
let redis: RedisServer;
let rest: Server;
let restUrl: string;

beforeAll(async () => {
  redis = await startRedis();
  // A local stand-in for the Upstash REST API: GET /ping with the bearer token → {"result":"PONG"}.
  rest = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: 'Unauthorized' }));
    } else if (req.url === '/ping') {
      res.end(JSON.stringify({ result: 'PONG' }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  const port = await freePort();
  await new Promise<void>((r) => rest.listen(port, '127.0.0.1', () => r()));
  restUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await redis?.stop();
  await new Promise((r) => rest?.close(r));
});

const badCompose = `services:
  redis:
    image: redis:7.4-alpine
    ports: ["0.0.0.0:6379:6379"]
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
  api:
    image: node:20-alpine
    environment:
      REDIS_HOST: localhost
`;

const goodCompose = `services:
  redis:
    image: redis:7.4-alpine
    ports: ["127.0.0.1:6379:6379"]
    volumes: ["redis-data:/data"]
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -e ping | grep -q PONG"]
  api:
    image: node:20-alpine
    environment:
      REDIS_HOST: redis
volumes:
  redis-data: {}
`;

describe('doctor: project checks', () => {
  it('no compose file and no .env: no project checks', async () => {
    const { json } = await runJson(['doctor', '--url', redis.url]);
    expect(json.checks.filter((c: Check) => c.id.startsWith('project.'))).toEqual([]);
  });

  it('a compose file bound to 0.0.0.0, with a ping health check and localhost in another service', async () => {
    const dir = project({ 'compose.yaml': badCompose });
    const { json, run } = await runJson(['doctor', '--url', redis.url], { cwd: dir });
    expect(run.exitCode).toBe(1);
    const c = byId(json.checks, 'project.compose');
    expect(c.status).toBe('fail');
    expect(c.message).toBe(
      'service redis publishes port "0.0.0.0:6379:6379" on every interface; the health check of redis ("CMD redis-cli ping") passes on auth errors: redis-cli ping exits 0 on NOAUTH; service api gets REDIS_HOST pointing at localhost (from environment): inside compose that is the container itself',
    );
    expect(c.hint).toMatch(/127\.0\.0\.1:6379:6379.*redis-cli -e ping.*redis:\/\/redis:6379/);
    expect(byId(json.checks, 'project.env').status).toBe('skip');
  });

  it('a password in a compose health check or command is masked in text, JSON and JUnit', async () => {
    const secret = 'hunter2Secret-0451';
    const dir = project({
      'compose.yaml': `services:\n  redis:\n    image: redis:7.4-alpine\n    command: redis-server --requirepass ${secret}\n    ports: ["127.0.0.1:6379:6379"]\n    healthcheck:\n      test: ["CMD", "redis-cli", "-a", "${secret}", "ping"]\n`,
    });
    const { json, run } = await runJson(['doctor', '--url', redis.url], { cwd: dir });
    expect(byId(json.checks, 'project.compose').message).toMatch(/redis-cli -a \*\*\* ping/);
    expect(run.stdout + run.stderr).not.toContain(secret);
    for (const format of [[], ['--format', 'junit']]) {
      const out = await runCli(['doctor', '--url', redis.url, ...format], { cwd: dir });
      expect(out.stdout).toMatch(/redis-cli -a \*\*\* ping/);
      expect(out.stdout + out.stderr).not.toContain(secret);
    }
  });

  it('a well-wired project passes, with .env ignored by git', async () => {
    const dir = project({
      'compose.yaml': goodCompose,
      '.env': 'REDIS_PASSWORD=Xk3r9Qz7Lp2wYt\n',
      '.env.example': 'REDIS_PASSWORD=change-me\n',
      '.gitignore': '.env\n',
    });
    execFileSync('git', ['init', '-q', dir]);
    const { json } = await runJson(['doctor', '--url', redis.url, '--use', 'queue'], { cwd: dir });
    expect(byId(json.checks, 'project.compose').status).toBe('pass');
    expect(byId(json.checks, 'project.secrets')).toMatchObject({
      status: 'pass',
      message: '.env is ignored by git; .env.example holds placeholders only',
    });
    expect(byId(json.checks, 'project.env').status).toBe('pass');
  });

  it('--project points at another directory; .env tracked by git and a real secret in .env.example fail, unprinted', async () => {
    const dir = project({
      '.env': 'REDIS_PASSWORD=Xk3r9Qz7Lp2wYt\nREDIS_URL=https://eu1-x.upstash.io\n',
      '.env.example': 'REDIS_PASSWORD=Xk3r9Qz7Lp2wYt\n',
    });
    execFileSync('git', ['init', '-q', dir]);
    const run = await runCli(['doctor', '--url', redis.url, '--project', dir, '--json']);
    const json = JSON.parse(run.stdout);
    assertJsonShape('DoctorJson', json);
    expect(byId(json.checks, 'project.secrets')).toMatchObject({
      status: 'fail',
      message:
        '.env is not ignored by git: its secrets would be committed; .env.example holds what looks like a real secret in REDIS_PASSWORD (the same value as in .env)',
    });
    expect(byId(json.checks, 'project.env')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/REDIS_URL is an https:\/\/ URL \(the Upstash REST URL\)/),
    });
    expect(run.stdout + run.stderr).not.toContain('Xk3r9Qz7Lp2wYt');
    expect((await runCli(['doctor', '--url', redis.url, '--project', join(dir, 'nope')])).exitCode).toBe(2);
  });
});

describe('doctor: upstash.rest', () => {
  it('answers PONG with the right token', async () => {
    const { json, run } = await runJson(['doctor', '--url', redis.url], {
      env: { UPSTASH_REDIS_REST_URL: restUrl, UPSTASH_REDIS_REST_TOKEN: TOKEN },
    });
    expect(byId(json.checks, 'upstash.rest')).toEqual({
      id: 'upstash.rest',
      status: 'pass',
      message: `${restUrl}/ping answered PONG`,
      hint: null,
    });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('401 on a bad token fails with the token hint, and the token is never printed', async () => {
    const bad = 'AXwrong-Token-fedcba9876543210';
    const run = await runCli(['doctor', '--url', redis.url], {
      env: { UPSTASH_REDIS_REST_URL: restUrl, UPSTASH_REDIS_REST_TOKEN: bad },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✖ upstash\.rest\s+http:\/\/127\.0\.0\.1:\d+ refused the token \(HTTP 401\)/);
    expect(run.stdout).toMatch(/hint: UPSTASH_REDIS_REST_TOKEN is wrong or revoked/);
    expect(run.stdout + run.stderr).not.toContain(bad);
  });

  it('runs even when Redis itself is not reachable, from a project .env', async () => {
    const dir = project({
      '.env': `UPSTASH_REDIS_REST_URL=${restUrl}\nUPSTASH_REDIS_REST_TOKEN=${TOKEN}\n`,
      '.gitignore': '.env\n',
    });
    const port = await freePort();
    const { json } = await runJson(['doctor', '--url', `redis://127.0.0.1:${port}`], { cwd: dir });
    expect(byId(json.checks, 'conn.tcp').status).toBe('fail');
    expect(byId(json.checks, 'upstash.rest').status).toBe('pass');
  });
});
