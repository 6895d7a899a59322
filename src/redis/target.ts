import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { usageError } from '../errors.js';
import { findUp } from '../find-up.js';
import { parseDuration } from '../options.js';
import { maskUrlText, registerSecret } from './secrets.js';
import { formatSentinelTarget, resolveSentinelSource, type SentinelSettings } from './sentinel-target.js';
import { checkTlsFiles } from './tls-files.js';
import { defaultTimeoutMs } from './timeout.js';

/** Flags shared by every command that talks to Redis (see addConnectionOptions). */
export interface ConnectionFlags {
  url?: string;
  /** redis-cli's reflexes: -h, -p, -s, -a/--pass, --user, -n/--db (see resolveTarget). */
  host?: string;
  port?: string;
  socket?: string;
  pass?: string;
  user?: string;
  db?: string;
  /** --dotenv, or its old name --env-file (which Node 20 itself eats under npx). */
  dotenv?: string;
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
  /** A unix socket path (-s, unix:// URL): then host and port are not used. */
  socket?: string;
  username?: string;
  password?: string;
  db: number;
  tls?: TlsSettings;
  /** true: always a cluster client; false: detect from INFO cluster. */
  forceCluster: boolean;
  timeoutMs: number;
  /** Where the target came from, for messages. */
  source: 'flag' | 'REDIS_URL' | 'REDIS_HOST' | 'REDIS_SENTINELS' | 'default';
  /** The env file the variables came from (absolute path), when one was read. */
  envFile?: string;
  /** Set for a Sentinel-managed target: host/port are then the first sentinel's until resolved. */
  sentinel?: SentinelSettings;
  /** The target as a URL with the password masked: safe to print anywhere. */
  display: string;
}

export type Env = Record<string, string | undefined>;

/**
 * Variables from the process environment, then from the env file; the process wins.
 * The default env file is the nearest .env from cwd up to the repository root; a named one
 * must exist. `path` says which file was read.
 */
export function loadEnvFile(processEnv: Env, cwd: string, envFile?: string): { env: Env; path?: string } {
  let path: string | undefined;
  if (envFile !== undefined) {
    path = resolve(cwd, envFile);
    if (!existsSync(path))
      throw usageError(`env file not found: ${envFile}`, 'check the --dotenv (--env-file) path');
  } else {
    path = findUp(cwd, '.env');
  }
  if (!path) return { env: { ...processEnv } };
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
  return { env: merged, path };
}

export function loadEnv(processEnv: Env, cwd: string, envFile?: string): Env {
  return loadEnvFile(processEnv, cwd, envFile).env;
}

/** --timeout: a duration (5s, 1m) or bare milliseconds, from 1 ms to 10 minutes. */
export function parseTimeout(value: string | number | undefined): number {
  if (value === undefined) return defaultTimeoutMs;
  return parseDuration(String(value), '--timeout', { bare: 'ms', min: 1, max: 600_000 });
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

/** REDIS_TLS and the like: an unknown word is an error, not a silent "off". */
function parseBoolVar(name: string, v: string | undefined): boolean {
  if (v === undefined || v.trim() === '') return false;
  const t = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off'].includes(t)) return false;
  throw usageError(`invalid ${name}: ${v}`, `${name} is true or false (1/0, yes/no, on/off)`);
}

interface UrlParts {
  host: string;
  port: number;
  socket?: string;
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
  if (scheme === 'unix') return parseUnixUrl(url, shown);
  if (scheme !== 'redis' && scheme !== 'rediss') {
    const upstashRest = (scheme === 'https' || scheme === 'http') && /upstash\.io$/i.test(url.hostname);
    throw usageError(
      `unsupported URL scheme "${scheme}://" in ${maskUrlText(raw)}`,
      upstashRest
        ? 'that is the Upstash REST URL; use the rediss:// URL from the Upstash console instead'
        : 'use redis:// (plain), rediss:// (TLS), redis+sentinel:// or unix:///path/redis.sock',
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
  const username = url.username ? decode(url.username) : undefined;
  const password = url.password ? decode(url.password) : undefined;
  return { host, port, username, password, db, tls: scheme === 'rediss' };
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** unix:///path/redis.sock[?db=N], or unix://user:pw@localhost/path (a host other than localhost is an error). */
function parseUnixUrl(url: URL, shown: string): UrlParts {
  if (url.hostname !== '' && url.hostname !== 'localhost')
    throw usageError(
      `a unix:// URL names a local socket, not a host: ${shown}`,
      'use unix:///path/redis.sock',
    );
  const socket = decode(url.pathname);
  if (socket === '' || socket === '/')
    throw usageError(`unix:// URL has no socket path: ${shown}`, 'use unix:///path/redis.sock');
  const dbText = url.searchParams.get('db');
  const db = dbText === null ? 0 : parseDb(dbText, `the db in ${shown}`);
  return {
    host: 'localhost',
    port: 6379,
    socket,
    username: url.username ? decode(url.username) : undefined,
    password: url.password ? decode(url.password) : undefined,
    db,
    tls: false,
  };
}

/** A port from a flag or variable: named in the error, so REDIS_PORT=abc is never ignored. */
function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port < 1 || port > 65535) {
    throw usageError(`invalid ${name}: ${value}`, 'a port is a number from 1 to 65535');
  }
  return port;
}

/** A database number; whether the server has it is checked on connect (SELECT). */
function parseDb(value: string, name: string): number {
  const db = Number(value);
  if (!/^\d+$/.test(value.trim()) || db > 65535)
    throw usageError(
      `invalid ${name}: ${value}`,
      'a database is a number from 0 (most servers have 0 to 15)',
    );
  return db;
}

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

/** The variables' names, so a bad REDIS_URL in .env reads as such. */
function fromVar(name: string, raw: string): UrlParts {
  try {
    return parseRedisUrl(raw);
  } catch (err) {
    const e = err as Error & { hint?: string };
    throw usageError(`${name}: ${e.message}`, e.hint);
  }
}

/** Build the display URL: what we print instead of the real one. */
export function formatTarget(t: {
  host: string;
  port: number;
  socket?: string;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}): string {
  const host = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  let auth = '';
  if (t.username || t.password)
    auth = `${encodeURIComponent(t.username ?? 'default')}${t.password ? ':***' : ''}@`;
  if (t.socket !== undefined)
    return `unix://${auth ? `${auth}localhost` : ''}${t.socket}${t.db ? `?db=${t.db}` : ''}`;
  return `${t.tls ? 'rediss' : 'redis'}://${auth}${host}:${t.port}${t.db ? `/${t.db}` : ''}`;
}

/**
 * Resolve where to connect, the first that is given wins:
 *   --url; -h/-p/-s (redis-cli's flags, host 127.0.0.1 and port 6379 by default);
 *   REDIS_URL; REDIS_HOST/REDIS_PORT & co.; redis://127.0.0.1:6379.
 * Then --user, -a/--pass and -n/--db replace those parts of whichever target won, and
 * REDISCLI_AUTH (redis-cli's variable) supplies a password when none was given.
 * Every variable that is used is checked: a bad one is an error naming it, never a silent default.
 * Reads certificate files now, so a missing file is a usage error before any network step.
 */
export function resolveTarget(flags: ConnectionFlags, env: Env, cwd: string): Target {
  let parts: UrlParts;
  let source: Target['source'];
  const endpointFlag = [
    ['-h/--host', flags.host],
    ['-p/--port', flags.port],
    ['-s/--socket', flags.socket],
  ].find(([, v]) => v !== undefined)?.[0];
  // -h/-p/-s name one server: a sentinel REDIS_URL in .env must not win over them.
  const fromSentinel =
    endpointFlag && flags.url === undefined ? undefined : resolveSentinelSource(flags, env);
  if (fromSentinel) {
    if (endpointFlag)
      throw usageError(`a sentinel target conflicts with ${endpointFlag}`, 'give the target once');
    parts = fromSentinel.parts;
    source = fromSentinel.source;
  } else if (flags.url !== undefined) {
    if (endpointFlag)
      throw usageError(
        `--url conflicts with ${endpointFlag}`,
        'give the target once: a URL, or -h host -p port',
      );
    parts = parseRedisUrl(flags.url);
    source = 'flag';
  } else if (endpointFlag) {
    if (flags.socket !== undefined && (flags.host !== undefined || flags.port !== undefined))
      throw usageError(
        '-s/--socket conflicts with -h/-p',
        'a unix socket has no host or port: give one of them',
      );
    if (flags.socket === '')
      throw usageError('-s/--socket needs a path', 'e.g. -s /var/run/redis/redis.sock');
    if (flags.host === '') throw usageError('-h/--host needs a host name', 'e.g. -h 10.0.0.5');
    parts = {
      host: flags.socket !== undefined ? 'localhost' : (flags.host ?? '127.0.0.1'),
      port: flags.port === undefined ? 6379 : parsePort(flags.port, '-p/--port'),
      socket: flags.socket,
      db: 0,
      tls: false,
    };
    source = 'flag';
  } else if (set(env.REDIS_URL)) {
    parts = fromVar('REDIS_URL', env.REDIS_URL);
    source = 'REDIS_URL';
  } else if (set(env.REDIS_HOST) || set(env.REDIS_PORT)) {
    parts = {
      host: set(env.REDIS_HOST) ? env.REDIS_HOST : '127.0.0.1',
      port: set(env.REDIS_PORT) ? parsePort(env.REDIS_PORT, 'REDIS_PORT') : 6379,
      username: env.REDIS_USERNAME || undefined,
      password: env.REDIS_PASSWORD || undefined,
      db: set(env.REDIS_DB) ? parseDb(env.REDIS_DB, 'REDIS_DB') : 0,
      tls: parseBoolVar('REDIS_TLS', env.REDIS_TLS),
    };
    source = 'REDIS_HOST';
  } else {
    parts = { host: '127.0.0.1', port: 6379, db: 0, tls: false };
    source = 'default';
  }
  if (flags.user !== undefined) parts.username = flags.user;
  if (flags.pass !== undefined) parts.password = flags.pass;
  else if (!parts.password && set(env.REDISCLI_AUTH)) parts.password = env.REDISCLI_AUTH;
  if (flags.db !== undefined) parts.db = parseDb(flags.db, '-n/--db');
  if (parts.socket !== undefined && flags.cluster)
    throw usageError(
      'a cluster is not reached through a unix socket',
      'give -h host -p port of a cluster node',
    );
  registerSecret(parts.password);

  if (flags.cert !== undefined && flags.key === undefined)
    throw usageError('--cert needs --key', 'give the client private key with --key <file>');
  if (flags.key !== undefined && flags.cert === undefined)
    throw usageError('--key needs --cert', 'give the client certificate with --cert <file>');
  const ca = readFileFlag('--cacert', flags.cacert, cwd);
  const cert = readFileFlag('--cert', flags.cert, cwd);
  const key = readFileFlag('--key', flags.key, cwd);
  checkTlsFiles(flags, { ca, cert, key });

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

  if (parts.socket !== undefined && useTls)
    throw usageError('TLS over a unix socket is not supported', 'drop --tls, or connect to a TLS port');
  return {
    host: parts.host,
    port: parts.port,
    socket: parts.socket,
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
