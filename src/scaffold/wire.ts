import { isAlias, isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { usageError } from '../errors.js';
import { findRedisServices, isAppService } from './redis-services.js';
import type { InitSettings } from './settings.js';
import { flowScalar, pairOf, type YamlEditor } from './yaml-edit.js';

/**
 * Wire app services to the Redis service(s): depends_on with service_healthy (merged with a
 * list or map the app has), the Redis service joined to the app's networks, and REDIS_URL
 * (REDIS_QUEUE_URL with --use both) set to the service-name URL in the app's environment,
 * which wins over env_file (so a host URL from .env never reaches the container).
 */
export interface WireResult {
  wired: Array<{ service: string; vars: Record<string, string> }>;
  /** App services found, for the question (or the hint) when --wire was not given. */
  candidates: string[];
  notes: string[];
}

type Services = Record<string, Record<string, unknown>>;

const localHost = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/;

function envOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v))
    for (const item of v) {
      const [k, ...rest] = String(item).split('=');
      if (k) out[k] = rest.join('=');
    }
  else if (v && typeof v === 'object')
    for (const [k, val] of Object.entries(v))
      out[k] = val === null || val === undefined ? '' : String(val as string);
  return out;
}

function networksOf(svc: Record<string, unknown> | undefined): string[] {
  if (!svc) return [];
  if (svc.network_mode !== undefined) return [];
  const n = svc.networks;
  if (Array.isArray(n)) return n.map(String);
  if (n && typeof n === 'object') return Object.keys(n);
  return ['default'];
}

function envFiles(svc: Record<string, unknown>): string[] {
  const e = svc.env_file;
  const list = Array.isArray(e) ? e : e === undefined ? [] : [e];
  return list.map((x) =>
    (typeof x === 'object' && x ? String((x as { path?: string }).path) : String(x)).replace(/^\.\//, ''),
  );
}

export function serviceUrl(s: InitSettings, target: string): string {
  return `redis://${s.password ? 'default:${REDIS_PASSWORD}@' : ''}${target}:6379`;
}

/** App services worth wiring: apps by build/image, and services already reading REDIS_* vars. */
export function appCandidates(services: Services, targets: string[]): string[] {
  const redis = new Set([...findRedisServices(services), ...targets]);
  return Object.entries(services)
    .filter(
      ([name, svc]) =>
        !redis.has(name) &&
        (isAppService(svc) || Object.keys(envOf(svc.environment)).some((k) => /REDIS/.test(k))),
    )
    .map(([name]) => name);
}

/**
 * The networks each target must join so every wired app reaches it by name (computed before a
 * new service is rendered, so it is written with them).
 */
export function networksNeeded(
  services: Services,
  targets: string[],
  wire: string[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  // Services other than the target that sit on the default network (they may reach it there).
  const onDefault = (t: string): boolean =>
    Object.entries(services).some(
      ([n, svc]) => n !== t && svc.network_mode === undefined && svc.networks === undefined,
    );
  for (const t of targets) {
    const have = services[t] ? networksOf(services[t]) : ['default'];
    const add: string[] = [];
    for (const app of wire) {
      const nets = networksOf(services[app]);
      if (nets.length === 0 || nets.some((n) => have.includes(n) || add.includes(n))) continue;
      add.push(nets[0] ?? 'default');
    }
    // Leaving the default network would cut off the services that rely on it.
    if (add.length > 0 && services[t]?.networks === undefined && onDefault(t)) add.unshift('default');
    if (add.length > 0) out[t] = add;
  }
  return out;
}

function servicesMap(ed: YamlEditor): YAMLMap {
  return pairOf(ed.doc.contents as YAMLMap, 'services')?.value as YAMLMap;
}

function setEnv(ed: YamlEditor, svc: YAMLMap, vars: Array<[string, string]>, reason: string): boolean {
  if (vars.length === 0) return true;
  const pair = pairOf(svc, 'environment');
  const node = pair?.value as Node | null | undefined;
  const col = ed.keyColumn(svc);
  if (!pair) {
    ed.addPair(svc, 'environment', Object.fromEntries(vars), reason);
    return true;
  }
  if (isMap(node) && !node.flow) {
    for (const [name, value] of vars) {
      const cur = pairOf(node, name);
      if (cur && isScalar(cur.value)) ed.replace(cur.value as Node, flowScalar(value, ed.style), reason);
      else ed.addRawPair(node, name, flowScalar(value, ed.style), reason);
    }
    return true;
  }
  if (isSeq(node) && !node.flow) {
    for (const [name, value] of vars) {
      const item = (node.items as Node[]).find((i) => isScalar(i) && String(i.value).split('=')[0] === name);
      if (item) ed.replace(item, flowScalar(`${name}=${value}`, ed.style), reason);
      else ed.addItems(node, [`${name}=${value}`], reason);
    }
    return true;
  }
  if (isAlias(node)) {
    // Keep the shared anchor: merge it into an environment of this service's own.
    const pad = ' '.repeat(col + ed.style.indent);
    const lines = [`<<: *${node.source}`, ...vars.map(([n, v]) => `${n}: ${flowScalar(v, ed.style)}`)];
    ed.replaceAfterKey(node, lines.map((l) => `${ed.eol}${pad}${l}`).join(''), reason);
    return true;
  }
  return false;
}

function addDependsOn(
  ed: YamlEditor,
  svc: YAMLMap,
  resolved: Record<string, unknown>,
  targets: string[],
  reason: string,
): void {
  const dep = resolved.depends_on;
  const healthy = (t: string): boolean =>
    !!dep &&
    !Array.isArray(dep) &&
    typeof dep === 'object' &&
    (dep as Record<string, { condition?: string } | null>)[t]?.condition === 'service_healthy';
  const missing = targets.filter((t) => !healthy(t));
  if (missing.length === 0) return;
  const pair = pairOf(svc, 'depends_on');
  const node = pair?.value as Node | null | undefined;
  const col = ed.keyColumn(svc);
  const asMap = (): Record<string, unknown> => {
    const m: Record<string, unknown> = {};
    if (Array.isArray(dep)) for (const d of dep) m[String(d)] = { condition: 'service_started' };
    else if (dep && typeof dep === 'object') Object.assign(m, dep);
    for (const t of targets) m[t] = { condition: 'service_healthy' };
    return m;
  };
  if (!pair) {
    ed.addPair(svc, 'depends_on', asMap(), reason);
    return;
  }
  if (isMap(node) && !node.flow && node.items.length > 0) {
    for (const t of missing) {
      const cur = pairOf(node, t);
      const v = cur?.value as Node | null | undefined;
      if (!cur) ed.addPair(node, t, { condition: 'service_healthy' }, reason);
      else if (isMap(v) && !v.flow && pairOf(v, 'condition'))
        ed.replace(pairOf(v, 'condition')?.value as Node, 'service_healthy', reason);
      else if (isMap(v) && !v.flow) ed.addPair(v, 'condition', 'service_healthy', reason);
      else if (v) ed.setNode(v, { condition: 'service_healthy' }, ed.keyColumn(node), reason);
      else ed.addPair(node, t, { condition: 'service_healthy' }, reason);
    }
    return;
  }
  // A list (it cannot carry a condition), a flow map or an alias: this service's own map.
  if (node)
    ed.setNode(node, asMap(), col, `${reason} (the list became a map: a list cannot say service_healthy)`);
}

function joinNetworks(ed: YamlEditor, target: string, nets: string[], reason: string): void {
  const svcPair = pairOf(servicesMap(ed), target);
  const svc = svcPair?.value as Node | null | undefined;
  if (!isMap(svc) || svc.flow) return;
  const node = pairOf(svc, 'networks')?.value as Node | null | undefined;
  if (!node) ed.addPair(svc, 'networks', nets, reason);
  else if (isSeq(node)) ed.addItems(node, nets, reason);
  else if (isMap(node) && !node.flow) for (const n of nets) ed.addPair(node, n, null, reason);
}

export function wireApps(
  ed: YamlEditor,
  js: Record<string, unknown>,
  s: InitSettings,
  targets: string[],
  wire: string[] | undefined,
  file: string,
  newServices: string[] = [],
): WireResult {
  const services = (js.services ?? {}) as Services;
  const result: WireResult = { wired: [], candidates: appCandidates(services, targets), notes: [] };
  const envFile = s.envFile.replace(/^\.\//, '');
  if (!wire || wire.length === 0) {
    for (const name of result.candidates) {
      const svc = services[name] ?? {};
      if (envFiles(svc).includes(envFile) && !('REDIS_URL' in envOf(svc.environment)))
        result.notes.push(
          `service ${name} loads env_file ${envFile}: it would see the host's REDIS_URL (127.0.0.1); wire it (--wire ${name}) so its environment gets redis://${targets[0] ?? 'redis'}:6379`,
        );
    }
    if (result.candidates.length > 0 && wire === undefined)
      result.notes.push(
        `app services that could use Redis: ${result.candidates.join(', ')} (wire them with --wire ${result.candidates.join(',')})`,
      );
    return result;
  }
  const redis = new Set([...findRedisServices(services), ...targets]);
  for (const name of wire) {
    if (!(name in services))
      throw usageError(
        `--wire ${name}: ${file} has no service "${name}"`,
        result.candidates.length
          ? `app services: ${result.candidates.join(', ')}`
          : 'name services that exist',
      );
    if (redis.has(name))
      throw usageError(
        `--wire ${name}: that is the Redis service itself`,
        'wire the app services that use Redis',
      );
  }
  const needed = networksNeeded(services, targets, wire);
  for (const t of targets)
    if (needed[t] && !newServices.includes(t))
      joinNetworks(
        ed,
        t,
        needed[t],
        `joins ${needed[t].filter((n) => n !== 'default').join(', ')} so the apps reach ${t} by name`,
      );
  const vars: Array<[string, string]> = [['REDIS_URL', targets[0] ?? 'redis']];
  if (s.use === 'both' && targets[1]) vars.push(['REDIS_QUEUE_URL', targets[1]]);
  for (const name of wire) {
    const svcNode = pairOf(servicesMap(ed), name)?.value as Node | null | undefined;
    const resolved = services[name] ?? {};
    if (!isMap(svcNode) || svcNode.flow) {
      result.notes.push(`service ${name} is not a block mapping: wire it by hand`);
      continue;
    }
    if (resolved.network_mode === 'host') {
      result.notes.push(
        `service ${name} uses network_mode: host: it reaches Redis on 127.0.0.1, not by service name`,
      );
      continue;
    }
    addDependsOn(ed, svcNode, resolved, targets, `${name} starts after Redis is healthy`);
    const env = envOf(resolved.environment);
    const got: Record<string, string> = {};
    const set: Array<[string, string]> = [];
    for (const [v, t] of vars) {
      const url = serviceUrl(s, t);
      got[v] = url;
      const cur = env[v];
      if (cur === url) continue;
      const host = cur ? /^rediss?:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(cur)?.[1] : undefined;
      if (cur !== undefined && cur !== '' && host !== undefined && !localHost.test(host) && host !== t) {
        result.notes.push(`service ${name} already sets ${v} to another server (${host}); kept`);
        got[v] = cur;
        continue;
      }
      set.push([v, url]);
    }
    // REDIS_HOST: localhost inside a container is the container itself.
    if (env.REDIS_HOST !== undefined && localHost.test(env.REDIS_HOST)) {
      const to = targets[0] ?? 'redis';
      set.push(['REDIS_HOST', to]);
      got.REDIS_HOST = to;
      // --wire (or the terminal's "wire these apps?") is the consent; the summary says what changed.
      result.notes.push(
        `service ${name}: REDIS_HOST ${env.REDIS_HOST} → ${to} (inside compose, localhost is the container itself)`,
      );
    }
    if (!setEnv(ed, svcNode, set, `${name} reaches ${targets.join(' and ')} by service name`))
      result.notes.push(
        `service ${name}: set ${set.map(([k, v]) => `${k}=${v}`).join(' ')} in its environment by hand`,
      );
    result.wired.push({ service: name, vars: got });
  }
  return result;
}
