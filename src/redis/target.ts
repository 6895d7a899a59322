import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { usageError } from '../errors.js';
import { maskUrlText, registerSecret } from './secrets.js';
import { formatSentinelTarget, resolveSentinelSource, type SentinelSettings } from './sentinel-target.js';
import { defaultTimeoutMs } from './timeout.js';

/** Flags shared by every command that talks to Redis (see addConnectionOptions). */
export interface ConnectionFlags {
  url?: string;
  envFile?: string;
  tls?: boolean;
  cacert?: string;
  cert?: string;
  key?: string;
  sni?: string;
  insecure?: boolean;
  cluster?: boolean;
  timeout?: string | number;
  /** Sentinel targets (src/redis/sentinel-target.ts). */
  sentinel?: string[];
  master?: string;
  sentinelPassword?: string;
  sentinelUser?: string;
  replica?: boolean;
}

export interface TlsSettings {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Sent as SNI and checked against the certificate; undefined for IP targets. */
  servername?: string;
  rejectUnauthorized: boolean;
}

export interface Target {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: TlsSettings;
  /** true: always a cluster client; false: detect from INFO cluster. */
  forceCluster: boolean;
  timeoutMs: number;
  /** Where the target came from, for messages. */
  source: 'flag' | 'REDIS_URL' | 'REDIS_HOST' | 'REDIS_SENTINELS' | 'default';
  /** Set for a Sentinel-managed target: host/port are then the first sentinel's until resolved. */
  sentinel?: SentinelSettings;
  /** The target as a URL with the password masked: safe to print anywhere. */
  display: string;
}

export type Env = Record<string, string | undefined>;

/**
 * Variables from the process environment, then from the env file; the process wins.
 * The default env file is .env in cwd when it exists; a named one must exist.
 */
export function loadEnv(processEnv: Env, cwd: string, envFile?: string): Env {
  let path: string | undefined;
  if (envFile !== undefined) {
    path = resolve(cwd, envFile);
    if (!existsSync(path)) throw usageError(`env file not found: ${envFile}`, 'check the --env-file path');
  } else if (existsSync(resolve(cwd, '.env'))) {
    path = resolve(cwd, '.env');
  }
  if (!path) return { ...processEnv };
  let fromFile: Env;
  try {
    fromFile = parseEnv(readFileSync(path, 'utf8'));
  } catch (err) {
    throw usageError(
      `cannot read env file ${path}: ${(err as Error).message}`,
      'check that it is a readable KEY=value file',
    );
  }
  const merged: Env = { ...fromFile };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) merged[k] = v;
  return merged;
}

export function parseTimeout(value: string | number | undefined): number {
  if (value === undefined) return defaultTimeoutMs;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 600_000) {
    throw usageError(`invalid --timeout: ${value}`, `give milliseconds, e.g. --timeout ${defaultTimeoutMs}`);
  }
  return n;
}

function readFileFlag(flag: string, path: string | undefined, cwd: string): Buffer | undefined {
  if (path === undefined) return undefined;
  const full = resolve(cwd, path);
  try {
    return readFileSync(full);
  } catch {
    throw usageError(`${flag} file not found or unreadable: ${path}`, `check the path given to ${flag}`);
  }
}

function isTruthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
}

interface UrlParts {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}

/** Parse a redis:// or rediss:// URL into its parts; every bad shape is a usage error. */
export function parseRedisUrl(raw: string): UrlParts {
  const shown = maskUrlText(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(
      `invalid Redis URL: ${shown}`,
      'use redis://[user:password@]host:port[/db], or rediss:// for TLS',
    );
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'redis' && scheme !== 'rediss') {
    const upstashRest = (scheme === 'https' || scheme === 'http') && /upstash\.io$/i.test(url.hostname);
    throw usageError(
      `unsupported URL scheme "${scheme}://" in ${maskUrlText(raw)}`,
      upstashRest
        ? 'that is the Upstash REST URL; use the rediss:// URL from the Upstash console instead'
        : 'use redis:// (plain), rediss:// (TLS) or redis+sentinel://',
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw usageError(`Redis URL has no host: ${shown}`, 'use redis://host:port');
  let port = 6379;
  if (url.port !== '') port = Number(url.port);
  // new URL() already rejects ports above 65535; port 0 is never a Redis port.
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw usageError(`port out of range in ${shown}`, 'a port is a number from 1 to 65535');
  }
  let db = 0;
  const path = url.pathname.replace(/^\//, '');
  if (path !== '') {
    db = Number(path);
    if (!/^\d+$/.test(path) || db > 65535) {
      throw usageError(
        `invalid database "${path}" in ${shown}`,
        'the path of a Redis URL is a database number, e.g. /0',
      );
    }
  }
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const username = url.username ? decode(url.username) : undefined;
  const password = url.password ? decode(url.password) : undefined;
  return { host, port, username, password, db, tls: scheme === 'rediss' };
}

function parsePortVar(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port < 1 || port > 65535) {
    throw usageError(`REDIS_PORT out of range: ${value}`, 'a port is a number from 1 to 65535');
  }
  return port;
}

/** Build the display URL: what we print instead of the real one. */
export function formatTarget(t: {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}): string {
  const host = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  let auth = '';
  if (t.username || t.password)
    auth = `${encodeURIComponent(t.username ?? 'default')}${t.password ? ':***' : ''}@`;
  return `${t.tls ? 'rediss' : 'redis'}://${auth}${host}:${t.port}${t.db ? `/${t.db}` : ''}`;
}

/**
 * Resolve where to connect: --url, then REDIS_URL, then REDIS_HOST & co., then localhost.
 * Reads certificate files now, so a missing file is a usage error before any network step.
 */
export function resolveTarget(flags: ConnectionFlags, env: Env, cwd: string): Target {
  let parts: UrlParts;
  let source: Target['source'];
  const fromSentinel = resolveSentinelSource(flags, env);
  if (fromSentinel) {
    parts = fromSentinel.parts;
    source = fromSentinel.source;
  } else if (flags.url !== undefined) {
    parts = parseRedisUrl(flags.url);
    source = 'flag';
  } else if (env.REDIS_URL) {
    parts = parseRedisUrl(env.REDIS_URL);
    source = 'REDIS_URL';
  } else if (env.REDIS_HOST) {
    const db = env.REDIS_DB ? Number(env.REDIS_DB) : 0;
    if (!Number.isInteger(db) || db < 0)
      throw usageError(`invalid REDIS_DB: ${env.REDIS_DB}`, 'REDIS_DB is a database number, e.g. 0');
    parts = {
      host: env.REDIS_HOST,
      port: env.REDIS_PORT ? parsePortVar(env.REDIS_PORT) : 6379,
      username: env.REDIS_USERNAME || undefined,
      password: env.REDIS_PASSWORD || undefined,
      db,
      tls: isTruthy(env.REDIS_TLS),
    };
    source = 'REDIS_HOST';
  } else {
    parts = { host: '127.0.0.1', port: 6379, db: 0, tls: false };
    source = 'default';
  }
  registerSecret(parts.password);

  if (flags.cert !== undefined && flags.key === undefined)
    throw usageError('--cert needs --key', 'give the client private key with --key <file>');
  if (flags.key !== undefined && flags.cert === undefined)
    throw usageError('--key needs --cert', 'give the client certificate with --cert <file>');
  const ca = readFileFlag('--cacert', flags.cacert, cwd);
  const cert = readFileFlag('--cert', flags.cert, cwd);
  const key = readFileFlag('--key', flags.key, cwd);

  const useTls = parts.tls || flags.tls === true;
  let tls: TlsSettings | undefined;
  if (useTls) {
    tls = {
      ca,
      cert,
      key,
      // ioredis 6 sends no SNI by itself; without it SNI-routed endpoints fail (Node's tls.connect sends SNI only with `servername`).
      servername: flags.sni ?? (fromSentinel || isIP(parts.host) ? undefined : parts.host),
      rejectUnauthorized: flags.insecure !== true,
    };
  } else if (ca || cert || flags.sni || flags.insecure) {
    throw usageError('TLS options given for a plaintext target', 'use a rediss:// URL or add --tls');
  }

  return {
    host: parts.host,
    port: parts.port,
    username: parts.username,
    password: parts.password,
    db: parts.db,
    tls,
    forceCluster: flags.cluster === true,
    timeoutMs: parseTimeout(flags.timeout),
    source,
    display: fromSentinel
      ? formatSentinelTarget(fromSentinel.sentinel, { ...parts, tls: Boolean(tls) })
      : formatTarget({ ...parts, tls: Boolean(tls) }),
    sentinel: fromSentinel?.sentinel,
  };
}
