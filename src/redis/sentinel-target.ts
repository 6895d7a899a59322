import { isIP } from 'node:net';
import { usageError } from '../errors.js';
import { maskUrlText, registerSecret } from './secrets.js';

/**
 * Sentinel targets: `redis+sentinel://[user:pass@]h1[:p],h2[:p]/<master>[/db]` (also
 * `rediss+sentinel://` and Lettuce's `redis-sentinel://`), the --sentinel/--master flags and
 * REDIS_SENTINELS/REDIS_SENTINEL_MASTER. ioredis parses none of these (ioredis#557, #910).
 * User-info credentials are the data nodes'; the sentinels' own come from the query
 * (`?sentinelUsername=&sentinelPassword=`), the flags or REDIS_SENTINEL_USERNAME/_PASSWORD.
 */
/** The flags this module reads (a subset of ConnectionFlags in target.ts, which imports us). */
interface SentinelFlags {
  url?: string;
  sentinel?: string[];
  master?: string;
  sentinelPassword?: string;
  sentinelUser?: string;
  replica?: boolean;
}

type Env = Record<string, string | undefined>;

/** Same shape as target.ts' UrlParts. */
interface UrlParts {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}

export interface SentinelAddress {
  host: string;
  port: number;
}

export interface SentinelSettings {
  master: string;
  sentinels: SentinelAddress[];
  username?: string;
  password?: string;
  /** Read from a replica instead of the primary (stats --replica). */
  replica: boolean;
}

export const SENTINEL_PORT = 26379;
const SCHEMES = ['redis+sentinel', 'rediss+sentinel', 'redis-sentinel', 'rediss-sentinel'];
const URL_HINT = 'use redis+sentinel://[user:password@]host1[:port],host2[:port]/<master-name>[/db]';

export function isSentinelUrl(raw: string): boolean {
  const m = /^([a-z+-]+):\/\//i.exec(raw.trim());
  return m !== null && SCHEMES.includes((m[1] ?? '').toLowerCase());
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`; the port defaults to Sentinel's 26379. */
export function parseSentinelAddress(raw: string, where: string): SentinelAddress {
  const text = raw.trim();
  const m = /^\[([^\]]+)\](?::(\d*))?$/.exec(text) ?? /^([^:[\]]+)(?::(\d*))?$/.exec(text);
  // A bare IPv6 address (several colons, no brackets) has no port.
  if (!m && isIP(text) === 6) return { host: text, port: SENTINEL_PORT };
  if (!m || !m[1]) {
    throw usageError(
      `invalid sentinel address "${text}" in ${where}`,
      'give host:port, e.g. 127.0.0.1:26379',
    );
  }
  const port = m[2] === undefined || m[2] === '' ? SENTINEL_PORT : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw usageError(`sentinel port out of range in ${where}: ${text}`, 'a port is a number from 1 to 65535');
  }
  return { host: m[1], port };
}

export interface SentinelUrl {
  parts: UrlParts;
  master: string;
  sentinels: SentinelAddress[];
  sentinelUsername?: string;
  sentinelPassword?: string;
}

/** Parse a sentinel URL by hand: WHATWG URL refuses a host list with ports. */
export function parseSentinelUrl(raw: string): SentinelUrl {
  const shown = maskSentinelUrlText(raw);
  const m = /^([a-z+-]+):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?(?:#.*)?$/i.exec(raw.trim());
  if (!m) throw usageError(`invalid Sentinel URL: ${shown}`, URL_HINT);
  const scheme = (m[1] ?? '').toLowerCase();
  const [userInfo, hostList, path, query] = [m[2], m[3] ?? '', m[4] ?? '', m[5] ?? ''];
  if (hostList === '') throw usageError(`Sentinel URL has no sentinel host: ${shown}`, URL_HINT);
  const sentinels = hostList.split(',').map((h) => parseSentinelAddress(h, shown));
  const segments = path.split('/').filter((s) => s !== '');
  const master = segments[0] !== undefined ? decode(segments[0]) : '';
  if (master === '') throw usageError(`Sentinel URL names no master: ${shown}`, URL_HINT);
  let db = 0;
  if (segments[1] !== undefined) {
    db = Number(segments[1]);
    if (!/^\d+$/.test(segments[1]) || db > 65535 || segments.length > 2) {
      throw usageError(`invalid database "${segments.slice(1).join('/')}" in ${shown}`, URL_HINT);
    }
  }
  let username: string | undefined;
  let password: string | undefined;
  if (userInfo !== undefined && userInfo !== '') {
    const i = userInfo.indexOf(':');
    username = decode(i < 0 ? userInfo : userInfo.slice(0, i)) || undefined;
    password = i < 0 ? undefined : decode(userInfo.slice(i + 1)) || undefined;
  }
  const q = new URLSearchParams(query);
  const first = sentinels[0] as SentinelAddress;
  return {
    parts: { host: first.host, port: first.port, username, password, db, tls: scheme.startsWith('rediss') },
    master,
    sentinels,
    sentinelUsername: q.get('sentinelUsername') || undefined,
    sentinelPassword: q.get('sentinelPassword') || undefined,
  };
}

/** Mask both passwords in a sentinel URL (for error messages about an unparsable one). */
export function maskSentinelUrlText(raw: string): string {
  return maskUrlText(raw).replace(/([?&]sentinelPassword=)[^&#]*/gi, '$1***');
}

export interface SentinelSource {
  parts: UrlParts;
  sentinel: SentinelSettings;
  source: 'flag' | 'REDIS_URL' | 'REDIS_SENTINELS';
}

/**
 * The sentinel target, when there is one. Precedence as for plain targets: --url, then the
 * --sentinel flags, then REDIS_URL, then REDIS_SENTINELS; a plain --url or REDIS_URL wins over
 * what comes after it. Returns undefined for a plain target.
 */
export function resolveSentinelSource(flags: SentinelFlags, env: Env): SentinelSource | undefined {
  const envParts = (): Omit<UrlParts, 'host' | 'port'> => envDataParts(env);
  const listFlag = flags.sentinel ?? [];
  if (flags.url !== undefined && listFlag.length > 0) {
    throw usageError(
      '--url and --sentinel both given',
      'give either a URL or --sentinel host:port --master <name>',
    );
  }
  let found: SentinelSource | undefined;
  if (flags.url !== undefined) {
    if (isSentinelUrl(flags.url)) found = fromUrl(flags.url, 'flag');
  } else if (listFlag.length > 0) {
    found = fromList(listFlag, '--sentinel', flags.master ?? env.REDIS_SENTINEL_MASTER, 'flag', envParts());
  } else if (env.REDIS_URL) {
    if (isSentinelUrl(env.REDIS_URL)) found = fromUrl(env.REDIS_URL, 'REDIS_URL');
  } else if (env.REDIS_SENTINELS) {
    const list = env.REDIS_SENTINELS.split(',').filter((s) => s.trim() !== '');
    found = fromList(
      list,
      'REDIS_SENTINELS',
      flags.master ?? env.REDIS_SENTINEL_MASTER,
      'REDIS_SENTINELS',
      envParts(),
    );
  }
  if (!found) {
    if (flags.master !== undefined)
      throw usageError(
        '--master needs a sentinel target',
        'add --sentinel host:port or use a redis+sentinel:// URL',
      );
    if (flags.replica)
      throw usageError('--replica needs a sentinel target', 'add --sentinel host:port --master <name>');
    return undefined;
  }
  const s = found.sentinel;
  if (flags.master !== undefined && found.source !== 'REDIS_SENTINELS') s.master = flags.master;
  s.username = flags.sentinelUser ?? s.username ?? (env.REDIS_SENTINEL_USERNAME || undefined);
  s.password = flags.sentinelPassword ?? s.password ?? (env.REDIS_SENTINEL_PASSWORD || undefined);
  s.replica = flags.replica === true;
  registerSecret(s.password);
  registerSecret(found.parts.password);
  return found;
}

function fromUrl(raw: string, source: SentinelSource['source']): SentinelSource {
  const u = parseSentinelUrl(raw);
  return {
    parts: u.parts,
    sentinel: {
      master: u.master,
      sentinels: u.sentinels,
      username: u.sentinelUsername,
      password: u.sentinelPassword,
      replica: false,
    },
    source,
  };
}

function fromList(
  list: string[],
  where: string,
  master: string | undefined,
  source: SentinelSource['source'],
  data: Omit<UrlParts, 'host' | 'port'>,
): SentinelSource {
  const sentinels = list.flatMap((item) => item.split(',')).map((a) => parseSentinelAddress(a, where));
  if (!master) {
    throw usageError(
      `${where} given without a master name`,
      'add --master <name> or set REDIS_SENTINEL_MASTER (SENTINEL MASTERS lists the names)',
    );
  }
  const first = sentinels[0] as SentinelAddress;
  return {
    parts: { ...data, host: first.host, port: first.port },
    sentinel: { master, sentinels, replica: false },
    source,
  };
}

/** The display form: both passwords masked. */
export function formatSentinelTarget(
  s: SentinelSettings,
  data: { username?: string; password?: string; db: number; tls: boolean },
): string {
  let auth = '';
  if (data.username || data.password)
    auth = `${encodeURIComponent(data.username ?? 'default')}${data.password ? ':***' : ''}@`;
  const hosts = s.sentinels.map((a) => `${isIP(a.host) === 6 ? `[${a.host}]` : a.host}:${a.port}`).join(',');
  const query: string[] = [];
  if (s.username) query.push(`sentinelUsername=${encodeURIComponent(s.username)}`);
  if (s.password) query.push('sentinelPassword=***');
  return `${data.tls ? 'rediss' : 'redis'}+sentinel://${auth}${hosts}/${encodeURIComponent(s.master)}${data.db ? `/${data.db}` : ''}${query.length ? `?${query.join('&')}` : ''}`;
}

/** Data-node credentials, db and TLS from REDIS_USERNAME, REDIS_PASSWORD, REDIS_DB, REDIS_TLS. */
function envDataParts(env: Env): Omit<UrlParts, 'host' | 'port'> {
  const db = env.REDIS_DB ? Number(env.REDIS_DB) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw usageError(`invalid REDIS_DB: ${env.REDIS_DB}`, 'REDIS_DB is a database number, e.g. 0');
  const tls = ['1', 'true', 'yes', 'on'].includes((env.REDIS_TLS ?? '').trim().toLowerCase());
  return { username: env.REDIS_USERNAME || undefined, password: env.REDIS_PASSWORD || undefined, db, tls };
}
