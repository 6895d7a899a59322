import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCompose, checkCompose } from '../../src/doctor/compose.js';
import { checkProjectEnv, checkProjectSecrets, readProject } from '../../src/doctor/project.js';

const good = `
services:
  redis:
    image: redis:7.4-alpine
    ports: ["127.0.0.1:\${REDIS_PORT:-6379}:6379"]
    volumes: [redis-data:/data]
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -e ping | grep -q PONG"]
  app:
    image: node:20
    environment:
      REDIS_HOST: redis
volumes:
  redis-data: {}
`;

describe('project.compose', () => {
  it('a well-wired compose file passes', () => {
    expect(checkCompose('compose.yaml', good, 'queue').status).toBe('pass');
  });
  it('flags a port on 0.0.0.0, a ping health check without -e, localhost in another service, no volume for queues', () => {
    const bad = `
services:
  cache:
    image: valkey/valkey:8-alpine
    ports: ["0.0.0.0:6379:6379", { target: 6379, published: 6380 }]
    healthcheck: { test: ["CMD", "redis-cli", "ping"] }
  worker:
    environment: ["REDIS_URL=redis://localhost:6379"]
`;
    const { redis, findings } = analyseCompose(bad, 'queue');
    expect(redis).toBe('cache');
    expect(findings.map((f) => f.message)).toEqual([
      'service cache publishes port "0.0.0.0:6379:6379" on every interface',
      'service cache publishes port "0.0.0.0:6380:6379" on every interface',
      'the health check of cache ("CMD redis-cli ping") passes on auth errors: redis-cli ping exits 0 on NOAUTH',
      'service worker points Redis at localhost: inside compose that is the container itself',
      'service cache has no volume: queued jobs are lost when the container is recreated',
    ]);
    const r = checkCompose('compose.yaml', bad, 'queue');
    expect(r.status).toBe('fail');
    expect(r.hint).toMatch(/REDIS_HOST=cache/);
  });
  it('a port without a host address and a missing health check warn; no Redis service skips', () => {
    const r = checkCompose(
      'compose.yaml',
      'services:\n  redis:\n    image: redis:7\n    ports: ["6379:6379"]\n',
      'cache',
    );
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/publishes port "6379:6379".*no health check/);
    expect(checkCompose('compose.yaml', 'services:\n  web:\n    image: nginx\n', 'cache').status).toBe(
      'skip',
    );
  });
});

describe('project.env', () => {
  it('REDIS_URL and REDIS_HOST/PORT/PASSWORD must agree', () => {
    expect(
      checkProjectEnv({
        REDIS_URL: 'redis://:pw@localhost:6379',
        REDIS_HOST: 'localhost',
        REDIS_PORT: '6379',
        REDIS_PASSWORD: 'pw',
      }).status,
    ).toBe('pass');
    const r = checkProjectEnv({
      REDIS_URL: 'redis://:pw@localhost:6379',
      REDIS_HOST: 'redis',
      REDIS_PORT: '6380',
      REDIS_PASSWORD: 'other',
    });
    expect(r.status).toBe('warn');
    expect(r.message).toBe(
      'REDIS_URL points at localhost but REDIS_HOST is redis; REDIS_URL uses port 6379 but REDIS_PORT is 6380; REDIS_URL and REDIS_PASSWORD hold different passwords',
    );
    expect(r.message).not.toContain('other');
  });
  it('the Upstash REST URL as REDIS_URL fails; a TLS-only provider over redis:// fails', () => {
    expect(checkProjectEnv({ REDIS_URL: 'https://eu1-x.upstash.io' }).message).toMatch(
      /the Upstash REST URL/,
    );
    const tls = checkProjectEnv({ REDIS_URL: 'redis://default:pw@eu1-x.upstash.io:6379' });
    expect(tls.status).toBe('fail');
    expect(tls.hint).toBe('use rediss:// instead of redis://');
    expect(checkProjectEnv({ REDIS_HOST: 'x.serverless.use1.cache.amazonaws.com' }).hint).toBe(
      'set REDIS_TLS=true',
    );
    expect(checkProjectEnv(undefined).status).toBe('skip');
  });
});

describe('project.secrets', () => {
  const dir = (files: Record<string, string>): string => {
    const d = mkdtempSync(join(tmpdir(), 'redis-ops-proj-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
    return d;
  };
  it('.env listed in .gitignore and placeholders in .env.example pass', async () => {
    const p = readProject(
      dir({
        '.env': 'REDIS_PASSWORD=Xk3r9Qz7Lp2w\n',
        '.env.example': 'REDIS_PASSWORD=change-me\nREDIS_URL=redis://:change-me@localhost:6379\n',
        '.gitignore': 'node_modules\n.env\n',
      }),
    )!;
    expect((await checkProjectSecrets(p)).status).toBe('pass');
  });
  it('.env not ignored warns; a real secret in .env.example fails without printing it', async () => {
    const p = readProject(
      dir({ '.env': 'REDIS_PASSWORD=Xk3r9Qz7Lp2w\n', '.env.example': 'REDIS_PASSWORD=Xk3r9Qz7Lp2w\n' }),
    )!;
    const r = await checkProjectSecrets(p);
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      '.env is not listed in .gitignore; .env.example holds what looks like a real secret in REDIS_PASSWORD (the same value as in .env)',
    );
  });
  it('no project files: no project', () => {
    expect(readProject(dir({}))).toBeUndefined();
  });
});
