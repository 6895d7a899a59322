import type { ClusterOptions, RedisOptions } from 'ioredis';
import { Cluster, Redis } from './ioredis.js';
import { CliError, ExitCode } from '../errors.js';
import { errorText, explainError } from './hints.js';
import { parseInfo } from './info.js';
import { redact } from './secrets.js';
import { nodeRole, resolveSentinelNode, type SentinelNode } from './sentinel.js';
import { traceClient } from './trace.js';
import type { Target } from './target.js';
import { withTimeout } from './timeout.js';

export type AnyClient = Redis | Cluster;

/** A live connection: one client for the target, and the primaries to fan out to. */
export interface Connection {
  client: AnyClient;
  isCluster: boolean;
  /** Every primary (one entry on a standalone server). */
  primaries(): Redis[];
  /** For a Sentinel target: the node the sentinels gave us (src/redis/sentinel.ts). */
  node?: SentinelNode;
  close(): Promise<void>;
}

/**
 * ioredis options for a probe-like client: no retries, no offline queue, bounded by the
 * target's timeout. ioredis retries forever by default (retryStrategy and maxRetriesPerRequest in ioredis's lib/redis/RedisOptions.ts), which hangs a CLI.
 */
export function clientOptions(target: Target, extra: Partial<RedisOptions> = {}): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    // ioredis connects to a unix socket when `path` is set (host and port are then ignored).
    ...(target.socket !== undefined ? { path: target.socket } : {}),
    username: target.username,
    password: target.password,
    db: target.db,
    tls: target.tls
      ? {
          ca: target.tls.ca,
          cert: target.tls.cert,
          key: target.tls.key,
          servername: target.tls.servername,
          rejectUnauthorized: target.tls.rejectUnauthorized,
        }
      : undefined,
    lazyConnect: true,
    connectTimeout: target.timeoutMs,
    commandTimeout: target.timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectionName: 'redis-ops',
    // ioredis sends CLIENT SETINFO lib-name/lib-ver on connect: before 7.2 each is an ERR in the
    // server's INFO errorstats (2 per connection), figures that stats --section errors reports.
    disableClientInfo: true,
    ...extra,
  };
}

export function clusterOptions(target: Target, extra: Partial<RedisOptions> = {}): ClusterOptions {
  const {
    host: _h,
    port: _p,
    lazyConnect: _l,
    retryStrategy: _r,
    enableOfflineQueue: _e,
    ...redisOptions
  } = clientOptions(target, extra);
  return {
    redisOptions,
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: () => null,
    // ioredis' ready check sends CLUSTER INFO to a random node: one stuck node would then fail
    // the whole connection. Commands check the nodes themselves and name the one that fails.
    enableReadyCheck: false,
    slotsRefreshTimeout: target.timeoutMs,
    // TLS clusters: verify against the configured host name, not the node IPs (ioredis README, dnsLookup for ElastiCache TLS clusters).
    dnsLookup: (address, cb) => cb(null, address),
  };
}

/** Connect a standalone client and wait until it is ready, collecting every error it emits. */
export async function connectStandalone(target: Target, extra: Partial<RedisOptions> = {}): Promise<Redis> {
  const client = traceClient(new Redis(clientOptions(target, extra)));
  const errors: Error[] = [];
  client.on('error', (err: Error) => errors.push(err));
  try {
    await withTimeout(client.connect(), target.timeoutMs, 'connect');
  } catch (err) {
    client.disconnect();
    // connect() often rejects only with "Connection is closed."; the real cause is an event.
    throw pickCause(err, errors);
  }
  await checkSelect(client, target);
  return client;
}

/**
 * ioredis sends SELECT for the URL's /db on connect and routes its failure to an `error` event,
 * then carries on in db 0 (ioredis lib/Redis.ts: the SELECT in the connect handler is not awaited). Select again and await it: a db that does not exist,
 * or any db on a cluster, is a connection error (exit 2), never a silent db 0.
 */
async function checkSelect(client: Redis, target: Target): Promise<void> {
  if (!target.db) return;
  try {
    await withTimeout(client.call('SELECT', String(target.db)), target.timeoutMs, 'SELECT');
  } catch (err) {
    const text = errorText(err);
    // Replies that are not about the db (NOAUTH, LOADING...) are for the caller's checks to name.
    if (!/DB index|SELECT is not allowed|cluster mode|unknown command/i.test(text)) return;
    client.disconnect();
    throw selectError(target, text, err);
  }
}

function selectError(target: Target, text: string, cause?: unknown): CliError {
  const cluster = /cluster/i.test(text);
  const what = /out of range/i.test(text)
    ? `database ${target.db} does not exist on ${target.display}`
    : `cannot use database ${target.db} on ${target.display}`;
  return new CliError(
    redact(`${what}: ${text}`),
    cluster
      ? 'a cluster has only database 0: drop the /db from the URL (and --db)'
      : /unknown command/i.test(text)
        ? 'this server has no databases to select (a Sentinel or proxy): connect to a Redis data node'
        : 'use a database that exists (0 to databases-1, 0-15 by default): fix the /db in the URL',
    ExitCode.usage,
    cause === undefined ? undefined : { cause },
  );
}

export async function connectCluster(target: Target, extra: Partial<RedisOptions> = {}): Promise<Cluster> {
  if (target.db) throw selectError(target, 'ERR SELECT is not allowed in cluster mode');
  const cluster = traceClient(
    new Cluster([{ host: target.host, port: target.port }], clusterOptions(target, extra)),
  );
  const errors: Error[] = [];
  cluster.on('error', (err: Error) => errors.push(err));
  cluster.on('node error', (err: Error) => errors.push(err));
  try {
    await withTimeout(cluster.connect(), target.timeoutMs, 'cluster connect');
    return cluster;
  } catch (err) {
    cluster.disconnect();
    throw pickCause(err, errors);
  }
}

function pickCause(err: unknown, events: Error[]): Error {
  const generic = (e: unknown): boolean =>
    /Connection is closed|None of startup nodes is available|Failed to refresh slots cache/i.test(
      errorText(e),
    );
  const specific =
    events.find((e) => !generic(e)) ?? (err instanceof Error && !generic(err) ? err : undefined);
  const nested = events.flatMap((e) =>
    (e as { lastNodeError?: Error }).lastNodeError
      ? [(e as { lastNodeError?: Error }).lastNodeError as Error]
      : [],
  );
  return specific ?? nested[0] ?? (err instanceof Error ? err : new Error(String(err)));
}

/** Is the server a cluster node? INFO cluster works everywhere, even where CONFIG is blocked. */
export async function isClusterServer(client: Redis): Promise<boolean> {
  const info = parseInfo(await client.info('cluster'));
  return info.cluster_enabled === '1';
}

/**
 * Connect the way a command needs: detect cluster mode unless forced, carry TLS and
 * credentials to every node. Failure is a connection error (exit 2) with a hint.
 */
export async function openConnection(target: Target, extra: Partial<RedisOptions> = {}): Promise<Connection> {
  if (target.sentinel) return openSentinelConnection(target, extra);
  try {
    let cluster = target.forceCluster;
    if (!cluster) {
      const probe = await connectStandalone(target, extra);
      if (await withTimeout(isClusterServer(probe), target.timeoutMs, 'INFO cluster')) {
        probe.disconnect();
        cluster = true;
      } else {
        return standaloneConnection(probe);
      }
    }
    const c = await connectCluster(target, extra);
    return {
      client: c,
      isCluster: true,
      primaries: () => c.nodes('master'),
      close: () => {
        c.disconnect();
        return Promise.resolve();
      },
    };
  } catch (err) {
    throw connectionError(target, err);
  }
}

function standaloneConnection(client: Redis): Connection {
  return {
    client,
    isCluster: false,
    primaries: () => [client],
    close: () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}

export function connectionError(target: Target, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const { hint } = explainError(err, target.source);
  return new CliError(
    redact(`cannot connect to ${target.display}: ${errorText(err)}`),
    hint,
    ExitCode.usage,
    {
      cause: err,
    },
  );
}

/**
 * Resolve the node through the sentinels, connect to it, and check it is what they said:
 * during a failover a sentinel can still name the old primary, which now answers as a replica.
 * Re-ask a few times within the timeout before giving up.
 */
async function openSentinelConnection(target: Target, extra: Partial<RedisOptions>): Promise<Connection> {
  const until = Date.now() + target.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const node = await resolveSentinelNode(target);
    let client: Redis;
    try {
      client = await connectStandalone(node.target, extra);
    } catch (err) {
      throw connectionError(
        { ...target, display: `${node.role} ${node.address} (named by sentinel ${node.via})` },
        err,
      );
    }
    const role = await nodeRole(client, target.timeoutMs).catch(() => 'unknown');
    const want = node.role === 'primary' ? 'master' : 'slave';
    if (role === want || role === 'unknown') {
      const { target: _t, ...info } = node;
      return { ...standaloneConnection(client), node: info };
    }
    client.disconnect();
    if (Date.now() > until || attempt >= 10) {
      throw new CliError(
        `sentinel ${node.via} names ${node.address} as the ${node.role}, but it answers as ${role}`,
        'a failover may be in progress: run again in a few seconds, or run redis-ops doctor',
        ExitCode.usage,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
