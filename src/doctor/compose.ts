import { parse } from 'yaml';
import { forQueues, type Use } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';
import { scalarText } from '../text.js';

/** project.compose: is the Redis service of a compose file wired safely? (Compose spec, docs.docker.com/reference/compose-file/; the redis image turns protected mode off, hub.docker.com/_/redis) */
export const composeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

type Service = Record<string, unknown>;
export interface Finding {
  status: 'warn' | 'fail';
  message: string;
  hint: string;
}

const redisImage = /(^|\/)(redis|valkey|keydb|dragonfly|redis-stack[^/:]*)(:|$)/i;

export function findRedisService(services: Record<string, Service>): string | undefined {
  const names = Object.keys(services);
  return (
    names.find((n) => redisImage.test(scalarText(services[n]?.image))) ??
    names.find((n) => /^(redis|valkey|cache|queue-redis)$/.test(n))
  );
}

/** Short syntax "[ip:]host:container" or long syntax { host_ip, published, target }. */
function publishedOpenly(port: unknown): string | undefined {
  if (port && typeof port === 'object') {
    const p = port as Record<string, unknown>;
    if (p.published === undefined) return undefined;
    const ip = scalarText(p.host_ip);
    return /^(127\.|::1$|localhost$)/.test(ip)
      ? undefined
      : `${ip || '0.0.0.0'}:${scalarText(p.published)}:${scalarText(p.target)}`;
  }
  const s = String(port);
  if (/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):/.test(s)) return undefined;
  return s;
}

function envOf(service: Service): Record<string, string> {
  const env = service.environment;
  const out: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const item of env) {
      const [k, ...rest] = String(item).split('=');
      if (k) out[k] = rest.join('=');
    }
  } else if (env && typeof env === 'object') {
    for (const [k, v] of Object.entries(env)) out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

const localHost = /^(localhost|127\.0\.0\.1|::1)$/;

export function analyseCompose(
  text: string,
  use: Use | undefined,
): { redis: string | undefined; findings: Finding[] } {
  const doc = (parse(text) ?? {}) as { services?: Record<string, Service> };
  const services = doc.services ?? {};
  const redis = findRedisService(services);
  const findings: Finding[] = [];
  if (!redis) return { redis, findings };
  const svc = services[redis] as Service;
  for (const port of (svc.ports as unknown[] | undefined) ?? []) {
    const open = publishedOpenly(port);
    if (open)
      findings.push({
        status: 'warn',
        message: `service ${redis} publishes port "${open}" on every interface`,
        hint: 'bind it to loopback: "127.0.0.1:6379:6379" (the official image turns protected mode off)',
      });
  }
  const hc = svc.healthcheck as { test?: unknown; disable?: boolean } | undefined;
  const test = Array.isArray(hc?.test) ? hc.test.join(' ') : scalarText(hc?.test);
  if (!hc || hc.disable || !test) {
    findings.push({
      status: 'warn',
      message: `service ${redis} has no health check`,
      hint: 'add healthcheck: test: ["CMD-SHELL", "redis-cli -e ping | grep -q PONG"]',
    });
  } else if (
    /redis-cli/.test(test) &&
    /\bping\b/i.test(test) &&
    !/(^|\s)-e(\s|$)/.test(test) &&
    !/grep/.test(test)
  ) {
    findings.push({
      status: 'warn',
      message: `the health check of ${redis} ("${test}") passes on auth errors: redis-cli ping exits 0 on NOAUTH`,
      hint: 'use "redis-cli -e ping | grep -q PONG"',
    });
  }
  for (const [name, other] of Object.entries(services)) {
    if (name === redis || other?.network_mode === 'host') continue;
    const env = envOf(other ?? {});
    const urlHost = env.REDIS_URL
      ? /^rediss?:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(env.REDIS_URL)?.[1]
      : undefined;
    if ((env.REDIS_HOST && localHost.test(env.REDIS_HOST)) || (urlHost && localHost.test(urlHost))) {
      findings.push({
        status: 'fail',
        message: `service ${name} points Redis at localhost: inside compose that is the container itself`,
        hint: `use the service name: REDIS_HOST=${redis} (or redis://${redis}:6379)`,
      });
    }
  }
  if (use && forQueues(use) && !svc.volumes) {
    findings.push({
      status: 'warn',
      message: `service ${redis} has no volume: queued jobs are lost when the container is recreated`,
      hint: 'mount a named volume on /data and turn on appendonly yes',
    });
  }
  return { redis, findings };
}

export function checkCompose(file: string, text: string, use: Use | undefined): CheckResult {
  const id = 'project.compose';
  let result: ReturnType<typeof analyseCompose>;
  try {
    result = analyseCompose(text, use);
  } catch (err) {
    return fail(
      id,
      `${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      'fix the compose file (docker compose config shows the error)',
    );
  }
  if (!result.redis) return skip(id, `${file} has no Redis service`);
  return fromFindings(
    id,
    result.findings,
    `${file}: service ${result.redis} is bound to loopback, health-checked, and reached by its service name`,
  );
}

/** Many findings, one check: the worst status wins, messages and hints are joined. */
export function fromFindings(id: string, findings: Finding[], okMessage: string): CheckResult {
  if (findings.length === 0) return pass(id, okMessage);
  const message = findings.map((f) => f.message).join('; ');
  const hint = [...new Set(findings.map((f) => f.hint))].join('; ');
  return findings.some((f) => f.status === 'fail') ? fail(id, message, hint) : warn(id, message, hint);
}
