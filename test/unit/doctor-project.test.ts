import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCompose, checkCompose } from '../../src/doctor/compose.js';
import {
  checkProjectEnv,
  checkProjectSecrets,
  readProject,
  runProjectChecks,
} from '../../src/doctor/project.js';
import { renderJunit } from '../../src/doctor/junit.js';
import { checkUpstashRest } from '../../src/doctor/upstash.js';
import { planInit } from '../../src/scaffold/plan.js';
import { resolveSettings, type InitAnswers } from '../../src/scaffold/settings.js';
import { needsWrite, writeChanges } from '../../src/scaffold/write.js';

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
    expect(redis).toEqual(['cache']);
    expect(findings.map((f) => f.message)).toEqual([
      'service cache publishes port "0.0.0.0:6379:6379" on every interface',
      'service cache publishes port "0.0.0.0:6380:6379" on every interface',
      'the health check of cache ("CMD redis-cli ping") passes on auth errors: redis-cli ping exits 0 on NOAUTH',
      'service cache has no volume: queued jobs are lost when the container is recreated',
      'service worker gets REDIS_URL pointing at localhost (from environment): inside compose that is the container itself',
    ]);
    const r = checkCompose('compose.yaml', bad, 'queue');
    expect(r.status).toBe('fail');
    expect(r.hint).toMatch(/redis:\/\/cache:6379/);
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

describe('project.compose on real files', () => {
  const fixture = (name: string): string =>
    readFileSync(new URL(`../fixtures/compose/${name}`, import.meta.url), 'utf8');

  it("Sentry's alias-heavy file is valid YAML (no alias limit) and its Redis is checked", () => {
    const r = checkCompose('docker-compose.yml', fixture('sentry.yml'), 'cache');
    expect(r.message).not.toMatch(/not valid YAML/);
    // valkey-cli ping | grep PONG fails closed; the port is not published: only the volume note is left.
    expect(analyseCompose(fixture('sentry.yml'), 'cache').redis).toEqual(['redis']);
    expect(r.status).toBe('pass');
  });

  it('every Redis service is checked (netbox: redis and redis-cache); valkey-cli without -e is flagged', () => {
    const { redis } = analyseCompose(fixture('netbox.yml'), 'cache');
    expect(redis).toEqual(['redis', 'redis-cache']);
    const { findings } = analyseCompose(
      'services:\n  a:\n    image: redis:7\n    healthcheck: {test: "redis-cli -e ping"}\n  b:\n    image: valkey/valkey:8\n    healthcheck: {test: ["CMD", "valkey-cli", "ping"]}\n',
      'cache',
    );
    expect(findings.map((f) => f.message)).toEqual([
      'the health check of b ("CMD valkey-cli ping") passes on auth errors: valkey-cli ping exits 0 on NOAUTH',
    ]);
  });

  it('localhost through env_file, ${REDIS_URL} from .env, ${REDIS_HOST:-localhost}, CELERY_BROKER_URL', () => {
    const text = `services:
  redis:
    image: redis:7
    healthcheck: {test: "redis-cli -e ping | grep PONG"}
  api:
    build: .
    env_file: .env
  worker:
    build: .
    environment:
      REDIS_URL: \${REDIS_URL}
      REDIS_HOST: \${REDIS_HOST:-localhost}
  celery:
    build: .
    environment: ["CELERY_BROKER_URL=redis://127.0.0.1:6379/0", "BULL_REDIS_URL=redis://redis:6379"]
`;
    const files: Record<string, string> = { '.env': 'REDIS_URL=redis://default:pw@127.0.0.1:6379\n' };
    const { findings } = analyseCompose(text, 'cache', {
      env: { REDIS_URL: 'redis://default:pw@127.0.0.1:6379' },
      readFile: (p) => files[p],
    });
    expect(findings.map((f) => f.message)).toEqual([
      'service api gets REDIS_URL pointing at 127.0.0.1 (from env_file .env): inside compose that is the container itself',
      'service worker gets REDIS_URL pointing at 127.0.0.1 (from environment (${REDIS_URL} from .env)): inside compose that is the container itself',
      'service worker gets REDIS_HOST pointing at localhost (from environment (${REDIS_HOST} from .env)): inside compose that is the container itself',
      'service celery gets CELERY_BROKER_URL pointing at 127.0.0.1 (from environment): inside compose that is the container itself',
    ]);
  });

  it('merges, compose.override.yaml, extends and networks are read as Compose reads them', () => {
    const text = `x-r: &r
  image: redis:7
services:
  redis:
    <<: *r
    networks: [back]
  api:
    extends: { service: base }
    networks: [front]
  base:
    build: .
    environment: { REDIS_URL: "redis://redis:6379" }
`;
    const { findings } = analyseCompose(text, undefined, {
      override: 'services:\n  redis:\n    ports: ["6379:6379"]\n',
    });
    expect(findings.map((f) => f.message)).toEqual([
      'service redis publishes port "6379:6379" on every interface',
      'service redis has no health check',
      'service api reaches redis by name, but they share no network',
      'service base reaches redis by name, but they share no network',
    ]);
  });

  it('no false alarm on ${BIND_IP:-127.0.0.1}; passwords in a health check are masked', () => {
    const text = `services:
  redis:
    image: redis:7
    ports: ["\${BIND_IP:-127.0.0.1}:6379:6379"]
    command: redis-server --requirepass hunter2hunter2
    healthcheck: {test: "redis-cli -a hunter2hunter2 ping"}
`;
    const r = checkCompose('compose.yaml', text, 'cache');
    expect(r.message).toBe(
      'the health check of redis ("redis-cli -a *** ping") passes on auth errors: redis-cli ping exits 0 on NOAUTH',
    );
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(renderJunit({ target: 't', checks: [r], failOn: 'warn' })).not.toContain('hunter2');
  });
});

describe("no false alarms on init's own output", () => {
  it.each<[InitAnswers, string[] | undefined]>([
    [{ provider: 'upstash', withLocal: true, use: 'queue' }, undefined],
    [{ use: 'both' }, ['web']],
    [{ image: 'valkey', adopt: 'cache' }, ['web']],
  ])('%j, wire %j: project.compose and project.secrets pass, upstash.rest skips', async (answers, wire) => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-own-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      answers.adopt
        ? 'services:\n  web:\n    build: .\n    env_file: .env\n  cache:\n    image: valkey/valkey:8\n    ports: ["6379:6379"]\n'
        : 'services:\n  web:\n    build: .\n    env_file: .env\n',
    );
    const s = resolveSettings(answers);
    const plan = planInit(s, dir, { adopt: answers.adopt, wire });
    writeChanges(plan.files.filter(needsWrite));
    const p = readProject(dir);
    if (!p) throw new Error('no project');
    const checks = await runProjectChecks(p, s.use);
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(byId['project.compose']?.status, byId['project.compose']?.message).toBe(wire ? 'pass' : 'fail');
    expect(byId['project.secrets']?.status, byId['project.secrets']?.message).not.toBe('fail');
    if (answers.provider === 'upstash') {
      // Unwired, web loads .env with the host URL: that one finding is real.
      expect(byId['project.compose']?.message).toContain(
        'service web gets REDIS_URL pointing at 127.0.0.1 (from env_file .env)',
      );
      expect((await checkUpstashRest(p.env ?? {}, 1000)).status).toBe('skip');
    }
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
