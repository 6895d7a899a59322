import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseCompose, checkCompose } from '../../src/doctor/compose.js';
import { renderJunit } from '../../src/doctor/junit.js';

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
