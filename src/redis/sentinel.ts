import { isIP } from 'node:net';
import type { RedisOptions } from 'ioredis';
import { Redis } from './ioredis.js';
import { CliError, ExitCode } from '../errors.js';
import { errorText, explainError } from './hints.js';
import { redact } from './secrets.js';
import type { SentinelAddress } from './sentinel-target.js';
import type { Target, TlsSettings } from './target.js';
import { withTimeout } from './timeout.js';

/**
 * Talking to sentinels, and finding the node a command should use. We resolve the primary
 * ourselves (SENTINEL GET-MASTER-ADDR-BY-NAME, then ROLE on the node) instead of ioredis'
 * sentinel connector: its reconnect logic hides which sentinel said what, and a diagnostic
 * tool must name it; the resolved node then goes through the ordinary connection path.
 */

/** TLS options for one host: SNI only for names, never for IPs (Node's tls.connect sends SNI only with `servername`; ioredis 6 does not set it). */
export function tlsFor(tls: TlsSettings | undefined, host: string): RedisOptions['tls'] {
  if (!tls) return undefined;
  return {
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    servername: tls.servername ?? (isIP(host) ? undefined : host),
    rejectUnauthorized: tls.rejectUnauthorized,
  };
}

export function addressText(a: SentinelAddress): string {
  return `${isIP(a.host) === 6 ? `[${a.host}]` : a.host}:${a.port}`;
}

/** A probe-like client to one sentinel: no retries, bounded by the target's timeout. */
export async function connectSentinel(target: Target, addr: SentinelAddress): Promise<Redis> {
  const s = target.sentinel;
  const client = new Redis({
    host: addr.host,
    port: addr.port,
    username: s?.username,
    password: s?.password,
    tls: tlsFor(target.tls, addr.host),
    lazyConnect: true,
    connectTimeout: target.timeoutMs,
    commandTimeout: target.timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectionName: 'redis-ops',
  });
  const errors: Error[] = [];
  client.on('error', (err: Error) => errors.push(err));
  try {
    await withTimeout(client.connect(), target.timeoutMs, 'connect');
    return client;
  } catch (err) {
    client.disconnect();
    const specific = errors.find((e) => !/Connection is closed/i.test(e.message));
    throw specific ?? err;
  }
}

/** RESP2 flat arrays and RESP3 maps both become plain records. */
export function toRecord(reply: unknown): Record<string, string> {
  if (reply instanceof Map) return Object.fromEntries([...reply].map(([k, v]) => [String(k), String(v)]));
  if (Array.isArray(reply)) {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
    return out;
  }
  if (reply && typeof reply === 'object')
    return Object.fromEntries(Object.entries(reply).map(([k, v]) => [k, String(v)]));
  return {};
}

export function toRecords(reply: unknown): Record<string, string>[] {
  return Array.isArray(reply) ? reply.map(toRecord) : [];
}

export interface SentinelNode {
  role: 'primary' | 'replica';
  /** host:port of the node in use. */
  address: string;
  /** The sentinel that named it. */
  via: string;
}

export interface ResolvedNode extends SentinelNode {
  /** The data node to connect to (host/port replaced, sentinel settings kept). */
  target: Target;
}

async function askOne(
  target: Target,
  addr: SentinelAddress,
): Promise<{ host: string; port: number } | null | 'unknown'> {
  const s = target.sentinel;
  if (!s) return null;
  const client = await connectSentinel(target, addr);
  try {
    const timeout = target.timeoutMs;
    if (s.replica) {
      const replicas = toRecords(
        await withTimeout(client.call('SENTINEL', 'REPLICAS', s.master), timeout, 'SENTINEL REPLICAS'),
      );
      // Up replicas, those with a working link to the primary first, then the most caught up.
      const rank = (r: Record<string, string>): number => (r['master-link-status'] === 'ok' ? 0 : 1);
      const good = replicas
        .filter((r) => !/s_down|o_down|disconnected/.test(r.flags ?? ''))
        .sort(
          (a, b) =>
            rank(a) - rank(b) || Number(b['slave-repl-offset'] ?? 0) - Number(a['slave-repl-offset'] ?? 0),
        );
      const best = good[0];
      return best ? { host: best.ip ?? '', port: Number(best.port) } : null;
    }
    const reply = await withTimeout(
      client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', s.master),
      timeout,
      'SENTINEL GET-MASTER-ADDR-BY-NAME',
    );
    if (!Array.isArray(reply) || reply.length < 2) return 'unknown';
    return { host: String(reply[0]), port: Number(reply[1]) };
  } finally {
    client.disconnect();
  }
}

/** Ask the sentinels in order for the node to use; the first one that knows answers. */
export async function resolveSentinelNode(target: Target): Promise<ResolvedNode> {
  const s = target.sentinel;
  if (!s) throw new Error('resolveSentinelNode needs a sentinel target');
  const problems: string[] = [];
  let unknownBy = 0;
  let noReplica = 0;
  for (const addr of s.sentinels) {
    const where = addressText(addr);
    try {
      const found = await askOne(target, addr);
      if (found === 'unknown') {
        unknownBy++;
        problems.push(`${where}: does not monitor "${s.master}"`);
      } else if (found === null) {
        noReplica++;
        problems.push(`${where}: no healthy replica`);
      } else {
        return {
          target: { ...target, host: found.host, port: found.port, tls: target.tls },
          role: s.replica ? 'replica' : 'primary',
          address: addressText(found),
          via: where,
        };
      }
    } catch (err) {
      problems.push(`${where}: ${errorText(err)}`);
    }
  }
  const explained = explainError(new Error(problems[0] ?? ''));
  let hint = explained.hint;
  if (unknownBy > 0)
    hint =
      'check the master name (--master); `redis-cli -p <sentinel port> SENTINEL MASTERS` lists the names';
  else if (noReplica > 0) hint = 'drop --replica to read from the primary, or check the replicas (doctor)';
  else if (explained.cause === 'unknown')
    hint = 'check the sentinel addresses (--sentinel host:port, default port 26379)';
  throw new CliError(
    redact(
      `cannot resolve ${s.replica ? 'a replica' : 'the primary'} of "${s.master}" through the sentinels (${problems.join('; ')})`,
    ),
    hint,
    ExitCode.usage,
  );
}

/** What the node says it is: 'master' or 'slave' (ROLE, falling back to INFO replication). */
export async function nodeRole(client: Redis, timeoutMs: number): Promise<string> {
  try {
    const role = await withTimeout(client.call('ROLE'), timeoutMs, 'ROLE');
    if (Array.isArray(role)) return String(role[0]);
  } catch {
    // ROLE may be renamed or denied by ACL: INFO replication says the same.
  }
  const info = await withTimeout(client.info('replication'), timeoutMs, 'INFO replication');
  return /role:(\w+)/.exec(info)?.[1] ?? 'unknown';
}
