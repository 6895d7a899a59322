import { dirname, relative, sep } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { cliOf, redisFlavour } from './redis-services.js';
import type { InitSettings, ServicePlan } from './settings.js';
import { flowScalar, jsOptions, pairOf, quoted, quotedText, type YamlEditor } from './yaml-edit.js';

/**
 * Harden an existing Redis service in place: add what is missing (password, loopback port,
 * an authenticating health check, the settings for its use, a data volume) and keep every key
 * the user had (networks, volumes, env_file, ulimits, labels, deploy...). Only keys init
 * manages are touched, and each edit says why.
 */
export interface AdoptResult {
  notes: string[];
  /** init mounts its config file (the service had no command of its own). */
  usesConf: boolean;
  /** Set when changes are needed but adopting was not asked for: the file as it would be. */
  conflict?: string;
  /** A named volume init added to the service (the top-level entry is the caller's). */
  volume?: string;
}

const loopback =
  /^(127\.\d+\.\d+\.\d+|\[?::1\]?|localhost|\$\{[A-Za-z_][A-Za-z0-9_]*:?-(127\.0\.0\.1|localhost)\})$/;

function textOf(v: unknown): string {
  if (Array.isArray(v)) return v.map(textOf).join(' ');
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

function envOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v))
    for (const item of v) {
      const [k, ...rest] = String(item).split('=');
      if (k) out[k] = rest.join('=');
    }
  else if (v && typeof v === 'object') for (const [k, val] of Object.entries(v)) out[k] = textOf(val);
  return out;
}

/** Split "[ip:]host:container[/proto]" where ip may hold ${VAR:-127.0.0.1} (with colons inside). */
export function splitPort(port: string): { ip: string; host: string; container: string } {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of port) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  if (parts.length >= 3)
    return {
      ip: parts.slice(0, -2).join(':'),
      host: parts[parts.length - 2] ?? '',
      container: parts[parts.length - 1] ?? '',
    };
  if (parts.length === 2) return { ip: '', host: parts[0] ?? '', container: parts[1] ?? '' };
  return { ip: '', host: '', container: parts[0] ?? '' };
}

export function isLoopbackIp(ip: string): boolean {
  return loopback.test(ip.trim());
}

/** The health check test: does it fail on NOAUTH (redis-cli ping exits 0 there)? */
export function healthFailsClosed(test: string): boolean {
  return /(^|\s)-e(\s|$)/.test(test) || /PONG/.test(test);
}

export function adoptService(
  ed: YamlEditor,
  p: ServicePlan,
  s: InitSettings,
  file: string,
  explicit: boolean,
): AdoptResult {
  const notes: string[] = [];
  const before = ed.edits.length;
  let volume: string | undefined;
  const root = ed.doc.contents as YAMLMap;
  const servicesMap = pairOf(root, 'services')?.value as YAMLMap;
  const pair = pairOf(servicesMap, p.name);
  const node = pair?.value as Node | null | undefined;
  if (!isMap(node) || node.flow) {
    notes.push(
      `service ${p.name} is written ${isAlias(node) ? 'as an alias' : 'in flow style'}: harden it by hand (init edits block mappings only)`,
    );
    return { notes, usesConf: false };
  }
  const svc: YAMLMap = node;
  const resolved = (svc.toJS(ed.doc, jsOptions) ?? {}) as Record<string, unknown>;
  const flavour = redisFlavour(resolved) ?? 'other';
  const cli = cliOf(flavour) ?? 'redis-cli';
  const col = ed.keyColumn(svc);
  const env = envOf(resolved.environment);
  const command = `${textOf(resolved.entrypoint)} ${textOf(resolved.command)}`;
  const pwRef = `\${REDIS_PASSWORD:?set REDIS_PASSWORD in ${s.envFile}}`;
  const official = flavour === 'redis' || flavour === 'valkey' || flavour === 'keydb';
  const engine = flavour === 'valkey' ? 'valkey' : flavour === 'keydb' ? 'keydb' : 'redis';
  let usesConf = false;

  const own = (key: string): Node | null | undefined => pairOf(svc, key)?.value as Node | null | undefined;
  const envNode = (): YAMLMap | YAMLSeq | undefined => {
    const v = own('environment');
    return isMap(v) || isSeq(v) ? v : undefined;
  };
  const addEnv = (name: string, value: string, reason: string): void => {
    const e = envNode();
    if (isMap(e) && !e.flow) ed.addRawPair(e, name, flowScalar(value, ed.style), reason);
    else if (isSeq(e)) ed.addItems(e, [`${name}=${value}`], reason);
    else if (!own('environment')) ed.addPair(svc, 'environment', { [name]: value }, reason);
    else
      notes.push(
        `service ${p.name}: add ${name} to its environment by hand (it is not a plain list or map here)`,
      );
  };

  // 1. Password and the settings for its use, on the command line or via init's config file.
  const hasPassword =
    /requirepass/.test(command) ||
    /requirepass/.test(env.REDIS_ARGS ?? '') ||
    (flavour === 'bitnami' && 'REDIS_PASSWORD' in env);
  const useArgs =
    p.role === 'queue'
      ? [
          ['--appendonly', 'yes'],
          ['--appendfsync', 'everysec'],
          ['--maxmemory-policy', 'noeviction'],
        ]
      : [
          ['--maxmemory', p.maxmemory],
          ['--maxmemory-policy', 'allkeys-lru'],
        ];
  // init's own config file (or any config file passed to the server) carries these settings.
  const confFile = /\/usr\/local\/etc\/(redis|valkey)\/\w+\.conf/.test(command);
  const missingArgs = confFile ? [] : useArgs.filter(([name]) => !command.includes(name ?? '')).flat();
  const wantPassword = s.password && !hasPassword;
  const args = [...(wantPassword ? ['--requirepass', pwRef] : []), ...missingArgs];
  const cmdNode = own('command');
  const shell =
    /\b(sh|bash|ash)\b\s+-[a-z]*c/.test(command) ||
    /^(sh|bash|ash)$/.test(textOf(Array.isArray(resolved.command) ? resolved.command[0] : ''));
  const why = `${wantPassword ? 'password from REDIS_PASSWORD' : ''}${wantPassword && missingArgs.length ? '; ' : ''}${missingArgs.length ? `${p.role} settings (${missingArgs.filter((a) => a.startsWith('--')).join(' ')})` : ''}`;
  if (args.length > 0) {
    if (resolved.command === undefined && resolved.entrypoint === undefined && official) {
      const confMount =
        engine === 'valkey' ? '/usr/local/etc/valkey/valkey.conf' : '/usr/local/etc/redis/redis.conf';
      const server = `${engine}-server`;
      ed.addPair(
        svc,
        'command',
        [server, confMount, ...(wantPassword ? ['--requirepass', pwRef] : [])],
        `${wantPassword ? 'password from REDIS_PASSWORD; ' : ''}${p.role} settings from ${p.confPath}`,
      );
      let confSource = relative(dirname(file), p.confPath).split(sep).join('/');
      if (!confSource.startsWith('.')) confSource = `./${confSource}`;
      const vols = own('volumes');
      if (isSeq(vols)) ed.addItems(vols, [`${confSource}:${confMount}:ro`], `config file ${p.confPath}`);
      else if (!vols)
        ed.addPair(svc, 'volumes', [`${confSource}:${confMount}:ro`], `config file ${p.confPath}`);
      usesConf = true;
    } else if (shell || resolved.entrypoint !== undefined || !cmdNode) {
      notes.push(
        `service ${p.name} runs its own ${shell ? 'shell ' : ''}command: add ${args.map((a) => (a === pwRef ? '${REDIS_PASSWORD}' : a)).join(' ')} to it yourself`,
      );
    } else if (isScalar(cmdNode)) {
      ed.appendToScalar(cmdNode, ` ${args.join(' ')}`, why);
    } else if (isSeq(cmdNode)) {
      ed.addItems(cmdNode, args, why);
    } else {
      notes.push(`service ${p.name}: its command is not a string or a list; add ${args.join(' ')} by hand`);
    }
  }
  if (wantPassword && !official) {
    if (flavour === 'bitnami') addEnv('REDIS_PASSWORD', pwRef, 'password from REDIS_PASSWORD');
    else if (flavour === 'redis-stack' && !('REDIS_ARGS' in env))
      addEnv('REDIS_ARGS', `--requirepass ${pwRef}`, 'password from REDIS_PASSWORD');
  }
  // The health check authenticates through REDISCLI_AUTH (never the password on a command line).
  const managedPassword = s.password && (wantPassword || command.includes('REDIS_PASSWORD:?'));
  if (managedPassword && !('REDISCLI_AUTH' in env))
    addEnv(
      'REDISCLI_AUTH',
      pwRef,
      'lets the health check authenticate without the password on its command line',
    );

  // 2. Ports: published on loopback only (the official images turn protected mode off).
  const ports = own('ports');
  if (resolved.ports === undefined) {
    ed.addPair(
      svc,
      'ports',
      [quoted(`127.0.0.1:\${${p.portVar}:-${p.hostPort}}:6379`, ed.style)],
      'published on 127.0.0.1 only, for apps on this machine',
    );
  } else if (isSeq(ports)) {
    for (const item of ports.items as Node[]) {
      if (isScalar(item)) {
        const { ip, host, container } = splitPort(String(item.value));
        if (isLoopbackIp(ip)) continue;
        const text = `127.0.0.1:${host}:${container}`;
        ed.replace(
          item,
          quotedText(text, ed.style),
          `port ${String(item.value)} bound to 127.0.0.1 (it was open on every interface)`,
        );
      } else if (isMap(item)) {
        const ipNode = pairOf(item, 'host_ip')?.value as Node | undefined;
        const ip = isScalar(ipNode) ? String(ipNode.value) : '';
        if (isLoopbackIp(ip)) continue;
        if (ipNode) ed.replace(ipNode, '127.0.0.1', 'port bound to 127.0.0.1');
        else if (!item.flow) ed.addPair(item, 'host_ip', '127.0.0.1', 'port bound to 127.0.0.1');
        else notes.push(`service ${p.name}: bind its port to 127.0.0.1 by hand (host_ip)`);
      }
    }
  } else notes.push(`service ${p.name}: its ports come from an anchor; bind them to 127.0.0.1 there`);

  // 3. Health check that fails closed.
  const hc = resolved.healthcheck as Record<string, unknown> | undefined;
  const test = `${cli} -e ping | grep -q PONG`;
  const testFlow = `[${quotedText('CMD-SHELL', ed.style)}, ${quotedText(test, ed.style)}]`;
  const hcNode = own('healthcheck');
  const flowTest = ed.doc.createNode([quoted('CMD-SHELL', ed.style), quoted(test, ed.style)], { flow: true });
  const hasOtherAuth = hasPassword && !('REDISCLI_AUTH' in env) && !managedPassword;
  if (!hc || hc.disable === true) {
    if (hasOtherAuth)
      notes.push(
        `service ${p.name} has a password of its own: add a health check that authenticates (${test} with REDISCLI_AUTH)`,
      );
    else if (!hcNode)
      ed.addPair(
        svc,
        'healthcheck',
        { test: flowTest, interval: '10s', timeout: '3s', retries: 5, start_period: '10s' },
        'health check that fails on auth errors (redis-cli -e)',
      );
  } else if (!healthFailsClosed(textOf(hc.test))) {
    if (isMap(hcNode) && !hcNode.flow) {
      const testNode = pairOf(hcNode, 'test')?.value as Node | undefined;
      if (testNode)
        ed.replace(
          testNode,
          testFlow,
          `health check "${textOf(hc.test)}" passed on NOAUTH; -e makes it fail closed`,
        );
      else ed.addRawPair(hcNode, 'test', testFlow, 'health check fails on auth errors');
    } else if (isAlias(hcNode)) {
      ed.setNode(
        hcNode,
        { ...hc, test: ['CMD-SHELL', test] },
        col,
        'own health check (the shared anchor stays as it is)',
      );
    } else notes.push(`service ${p.name}: its health check comes from an anchor; make it "${test}"`);
  }

  // 4. Data survives a restart: a volume on /data (the existing one is kept).
  const mounts = textOf(
    (resolved.volumes as unknown[] | undefined)?.map((v) =>
      typeof v === 'string' ? v : textOf((v as { target?: string }).target ?? ''),
    ) ?? [],
  );
  if (p.role === 'queue' && !/(:|^|\s)\/data(:|\s|$)/.test(mounts)) {
    const vols = own('volumes');
    const entry = `${p.name}-data:/data`;
    if (isSeq(vols)) ed.addItems(vols, [entry], 'queued jobs survive a container rebuild');
    else if (!vols) ed.addPair(svc, 'volumes', [entry], 'queued jobs survive a container rebuild');
    volume = `${p.name}-data`;
  }
  if (!explicit && ed.edits.length > before) return { notes: [], usesConf, conflict: ed.apply() };
  return { notes, usesConf, volume };
}
