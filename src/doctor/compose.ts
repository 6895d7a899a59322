import { healthFailsClosed, isLoopbackIp, splitPort } from '../scaffold/adopt.js';
import { findRedisServices } from '../scaffold/redis-services.js';
import { jsOptions, parseYaml } from '../scaffold/yaml-edit.js';
import { redact, registerSecret } from '../redis/secrets.js';
import { scalarText } from '../text.js';
import { forQueues, type Use } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/**
 * project.compose: is every Redis service of the compose file wired safely? Read as Compose
 * reads it: merges and aliases resolved (no alias limit), compose.override.yaml and `extends`
 * merged in, ${VAR} interpolated from the project's .env, env_file contents seen by each app.
 * Every message is masked: health checks and env values can carry passwords.
 */
export const composeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
export const overrideFileNames = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
];

type Service = Record<string, unknown>;
type Env = Record<string, string | undefined>;
export interface Finding {
  status: 'warn' | 'fail';
  message: string;
  hint: string;
}

export interface ComposeContext {
  /** The project's .env: what Compose interpolates ${VAR} from. */
  env?: Env;
  /** compose.override.yaml (or the like), merged over the file. */
  override?: string;
  /** Reads a file relative to the project (env_file, extends: file). */
  readFile?: (path: string) => string | undefined;
}

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, $VAR, $$. */
export function interpolate(text: string, env: Env): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      m,
      name: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
    ) => {
      if (m === '$$') return '$';
      const key = name ?? bare ?? '';
      const value = env[key];
      const unset = value === undefined || (op?.startsWith(':') === true && value === '');
      if (op === ':-' || op === '-') return unset ? interpolate(arg ?? '', env) : (value ?? '');
      if (op === ':+' || op === '+') return unset ? '' : interpolate(arg ?? '', env);
      return value ?? '';
    },
  );
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) {
    // Compose appends sequences (ports, volumes) from an override, without duplicates.
    const all = [...(base as unknown[]), ...(over as unknown[])].map((v) => JSON.stringify(v));
    return [...new Set(all)].map((v) => JSON.parse(v) as unknown);
  }
  if (
    base &&
    over &&
    typeof base === 'object' &&
    typeof over === 'object' &&
    !Array.isArray(base) &&
    !Array.isArray(over)
  ) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function parseServices(text: string): Record<string, Service> {
  const doc = parseYaml(text);
  const err = doc.errors[0];
  if (err) throw new Error(err.message);
  const js = (doc.toJS(jsOptions) ?? {}) as { services?: Record<string, Service> };
  return js.services ?? {};
}

/** `extends: { service, file }` resolved (a few levels deep), the child's keys winning. */
function resolveExtends(services: Record<string, Service>, readFile: ComposeContext['readFile']): void {
  const resolve = (name: string, depth: number): Service => {
    const svc = services[name] ?? {};
    const ext = svc.extends as string | { service?: string; file?: string } | undefined;
    if (!ext || depth > 5) return svc;
    const target = typeof ext === 'string' ? ext : (ext.service ?? '');
    let base: Service | undefined;
    if (typeof ext === 'object' && ext.file) {
      const text = readFile?.(ext.file);
      base = text ? parseServices(text)[target] : undefined;
    } else base = resolve(target, depth + 1);
    const { extends: _done, ...own } = svc;
    return base ? (deepMerge(base, own) as Service) : own;
  };
  for (const name of Object.keys(services)) services[name] = resolve(name, 0);
}

function envOf(service: Service, ctx: ComposeContext): Array<{ name: string; value: string; from: string }> {
  const out = new Map<string, { name: string; value: string; from: string }>();
  const files = Array.isArray(service.env_file)
    ? service.env_file
    : service.env_file
      ? [service.env_file]
      : [];
  for (const f of files) {
    const path = typeof f === 'string' ? f : scalarText((f as { path?: unknown }).path);
    const text = ctx.readFile?.(path);
    if (!text) continue;
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
      if (m?.[1])
        out.set(m[1], {
          name: m[1],
          value: (m[2] ?? '').replace(/^(['"])(.*)\1$/, '$2'),
          from: `env_file ${path}`,
        });
    }
  }
  // environment: wins over env_file (Compose's precedence), each value interpolated from .env.
  const env = service.environment;
  const add = (k: string, v: unknown): void => {
    const raw = v === null || v === undefined ? (ctx.env?.[k] ?? '') : scalarText(v);
    const value = interpolate(raw, ctx.env ?? {});
    out.set(k, {
      name: k,
      value,
      from: raw.includes('$') ? `environment (${raw.replace(/:-[^}]*/g, '')} from .env)` : 'environment',
    });
  };
  if (Array.isArray(env))
    for (const item of env) {
      const [k, ...rest] = String(item).split('=');
      if (k) add(k, rest.length ? rest.join('=') : null);
    }
  else if (env && typeof env === 'object') for (const [k, v] of Object.entries(env)) add(k, v);
  return [...out.values()];
}

const localHost = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|0\.0\.0\.0)$/;
/** Variables that name a Redis: REDIS_URL, CELERY_BROKER_URL, BULL_REDIS_URL, *_REDIS_*, ... */
const redisVar = /REDIS|BROKER|BULL|VALKEY|(^|_)CACHE(_|$)|(^|_)QUEUE(_|$)/;

function hostOf(name: string, value: string): string | undefined {
  const url = /^(?:rediss?|valkeys?|redis\+sentinel):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#,]+)/i.exec(value);
  if (url) return url[1];
  if (/HOST$/.test(name) && /^[\w.[\]:-]+$/.test(value)) return value;
  return undefined;
}

function networksOf(svc: Service | undefined): string[] {
  if (!svc || svc.network_mode !== undefined) return [];
  const n = svc.networks;
  if (Array.isArray(n)) return n.map(String);
  if (n && typeof n === 'object') return Object.keys(n);
  return ['default'];
}

/** A command line with its passwords masked (-a, --pass, --requirepass, user:pass@ URLs). */
export function maskCommand(text: string): string {
  const masked = text
    .replace(/(^|\s)(-a|--pass|--requirepass|--masterauth)(\s+|=)("[^"]*"|'[^']*'|\S+)/g, '$1$2$3***')
    .replace(/((?:REDISCLI_AUTH|REDIS_PASSWORD)=)("[^"]*"|'[^']*'|\S+)/g, '$1***')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1***@');
  return redact(masked);
}

function registerServiceSecrets(svc: Service): void {
  for (const m of `${JSON.stringify(svc.command ?? '')} ${JSON.stringify((svc.healthcheck as Service | undefined)?.test ?? '')}`.matchAll(
    /(?:-a|--pass|--requirepass)(?:\s+|=|",\s*")([^\s"'$]{4,})/g,
  ))
    registerSecret(m[1]);
  const env = svc.environment;
  const entries = Array.isArray(env) ? env.map((e) => String(e).split('=')) : Object.entries(env ?? {});
  for (const [k, v] of entries as Array<[string, unknown]>)
    if (/PASS|SECRET|TOKEN/i.test(String(k)) && typeof v === 'string' && !v.includes('$')) registerSecret(v);
}

export function analyseCompose(
  text: string,
  use: Use | undefined,
  ctx: ComposeContext = {},
): { redis: string[]; findings: Finding[] } {
  const services = parseServices(text);
  if (ctx.override) {
    const over = parseServices(ctx.override);
    for (const [name, svc] of Object.entries(over))
      services[name] = deepMerge(services[name] ?? {}, svc) as Service;
  }
  resolveExtends(services, ctx.readFile);
  for (const svc of Object.values(services)) registerServiceSecrets(svc ?? {});
  const redis = findRedisServices(services);
  const findings: Finding[] = [];
  for (const name of redis) {
    const svc = services[name] ?? {};
    for (const port of (svc.ports as unknown[] | undefined) ?? []) {
      let ip: string;
      let shown: string;
      if (port && typeof port === 'object') {
        const p = port as Record<string, unknown>;
        if (p.published === undefined) continue;
        ip = interpolate(scalarText(p.host_ip), ctx.env ?? {});
        shown = `${ip || '0.0.0.0'}:${scalarText(p.published)}:${scalarText(p.target)}`;
      } else {
        const s = interpolate(scalarText(port), ctx.env ?? {});
        const parts = splitPort(s);
        if (parts.host === '' && parts.ip === '' && !s.includes(':')) {
          // "6379" alone publishes on a random host port, on every interface.
          ip = '';
          shown = s;
        } else {
          ip = parts.ip;
          shown = s;
        }
      }
      if (isLoopbackIp(ip)) continue;
      findings.push({
        status: 'warn',
        message: `service ${name} publishes port "${shown}" on every interface`,
        hint: 'bind it to loopback: "127.0.0.1:6379:6379" (the official image turns protected mode off)',
      });
    }
    const hc = svc.healthcheck as { test?: unknown; disable?: boolean } | undefined;
    const test = Array.isArray(hc?.test) ? hc.test.map(scalarText).join(' ') : scalarText(hc?.test);
    const cli = /\b(redis|valkey|keydb)-cli\b/.exec(test)?.[0] ?? 'redis-cli';
    if (!hc || hc.disable || !test || test === 'NONE') {
      findings.push({
        status: 'warn',
        message: `service ${name} has no health check`,
        hint: `add healthcheck: test: ["CMD-SHELL", "${cli} -e ping | grep -q PONG"]`,
      });
    } else if (
      /\b(redis|valkey|keydb)-cli\b/.test(test) &&
      /\bping\b/i.test(test) &&
      !healthFailsClosed(test)
    ) {
      findings.push({
        status: 'warn',
        message: `the health check of ${name} ("${maskCommand(test)}") passes on auth errors: ${cli} ping exits 0 on NOAUTH`,
        hint: `use "${cli} -e ping | grep -q PONG"`,
      });
    }
    if (use && forQueues(use) && !svc.volumes) {
      findings.push({
        status: 'warn',
        message: `service ${name} has no volume: queued jobs are lost when the container is recreated`,
        hint: 'mount a named volume on /data and turn on appendonly yes',
      });
    }
  }
  if (redis.length === 0) return { redis, findings };
  for (const [name, svc] of Object.entries(services)) {
    if (redis.includes(name) || svc?.network_mode === 'host') continue;
    for (const v of envOf(svc ?? {}, ctx)) {
      if (!redisVar.test(v.name)) continue;
      const host = hostOf(v.name, v.value);
      if (!host) continue;
      if (localHost.test(host)) {
        findings.push({
          status: 'fail',
          message: `service ${name} gets ${v.name} pointing at ${host} (from ${v.from}): inside compose that is the container itself`,
          hint: `use the service name: redis://${redis[0] ?? 'redis'}:6379 in ${name}'s environment (it wins over env_file)`,
        });
      } else if (
        redis.includes(host) &&
        !networksOf(svc).some((n) => networksOf(services[host]).includes(n)) &&
        networksOf(svc).length > 0
      ) {
        findings.push({
          status: 'fail',
          message: `service ${name} reaches ${host} by name, but they share no network`,
          hint: `add one of ${name}'s networks (${networksOf(svc).join(', ')}) to ${host}`,
        });
      }
    }
  }
  return {
    redis,
    findings: findings.map((f) => ({ ...f, message: redact(f.message), hint: redact(f.hint) })),
  };
}

export function checkCompose(
  file: string,
  text: string,
  use: Use | undefined,
  ctx: ComposeContext = {},
): CheckResult {
  const id = 'project.compose';
  let result: ReturnType<typeof analyseCompose>;
  try {
    result = analyseCompose(text, use, ctx);
  } catch (err) {
    return fail(
      id,
      `${file} is not valid YAML: ${redact((err as Error).message.split('\n')[0] ?? '')}`,
      'fix the compose file (docker compose config shows the error)',
    );
  }
  if (result.redis.length === 0) return skip(id, `${file} has no Redis service`);
  const names = result.redis.join(', ');
  return fromFindings(
    id,
    result.findings,
    `${file}: service${result.redis.length > 1 ? 's' : ''} ${names} ${result.redis.length > 1 ? 'are' : 'is'} bound to loopback, health-checked, and reached by service name`,
  );
}

/** Many findings, one check: the worst status wins, messages and hints are joined. */
export function fromFindings(id: string, findings: Finding[], okMessage: string): CheckResult {
  if (findings.length === 0) return pass(id, okMessage);
  const message = findings.map((f) => f.message).join('; ');
  const hint = [...new Set(findings.map((f) => f.hint))].join('; ');
  return findings.some((f) => f.status === 'fail') ? fail(id, message, hint) : warn(id, message, hint);
}
