import { isIP } from 'node:net';
import type { Redis } from 'ioredis';
import { CliError } from '../errors.js';
import { connectCluster, connectStandalone, type Connection } from '../redis/connect.js';
import { errorText, explainError } from '../redis/hints.js';
import { detectServer, parseInfo, type InfoRecord, type ServerFacts } from '../redis/info.js';
import { detectProvider, providerFromHost, providerNeedsTls, type Provider } from '../redis/provider.js';
import { redact } from '../redis/secrets.js';
import type { Target } from '../redis/target.js';
import { withTimeout } from '../redis/timeout.js';
import { describeStranger, handshakeTls, openTcp, resolveHost, sniffProtocol } from './probes.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/**
 * The connection ladder: each rung runs only when the one before passed; the rest are
 * reported as skipped. Order: dns → tcp → protocol → tls → auth → ping → server facts.
 * Protocol comes before the handshake because a TLS client on a plaintext port would
 * otherwise hang in the handshake: the sniff detects both mismatches without waiting.
 */
export const ladderIds = [
  'conn.dns',
  'conn.tcp',
  'conn.protocol',
  'conn.tls',
  'conn.auth',
  'conn.ping',
  'server.info',
  'server.provider',
  'server.topology',
] as const;

export interface LadderOutcome {
  checks: CheckResult[];
  server: ServerFacts | null;
  provider: Provider;
  info: InfoRecord | null;
  /** Open when the ladder reached the server; the caller closes it. */
  connection: Connection | null;
  /** true when every rung passed or warned. */
  reached: boolean;
  /** What failed in a way that waiting does not heal (credentials, certificates...); null otherwise. */
  lasting: string | null;
  /** errorstats before and after the PING window. */
  errorWindow: { before: InfoRecord; after: InfoRecord; ms: number } | null;
}

export const pingCount = 20;
/** The shortest window over which errors.rate compares the error counters. */
export const errorWindowMs = 150;

async function measurePings(client: Redis, n: number): Promise<number[]> {
  const pings: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await client.ping();
    pings.push(performance.now() - t0);
  }
  return pings;
}

/** p50/p90/max of the client-observed round trips; a slow p90 warns (the app waits that long too). */
export function summarizePings(pings: number[]): CheckResult {
  const sorted = [...pings].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const text = `PONG: p50 ${ms(at(0.5))} ms, p90 ${ms(at(0.9))} ms, max ${ms(sorted[sorted.length - 1] ?? 0)} ms over ${pings.length} pings`;
  if (at(0.9) > 50)
    return warn(
      'conn.ping',
      `${text}: slow round trips`,
      'every command waits this long: run the app close to Redis (same region/VPC), or look for a busy server (LATENCY LATEST, SLOWLOG)',
    );
  return pass('conn.ping', text);
}

/** Every rung skipped, for a target that could not be resolved (e.g. no primary from the sentinels). */
export function skippedLadder(why: string): LadderOutcome {
  return {
    checks: ladderIds.filter((id) => id !== 'conn.tls').map((id) => skip(id, `not run: ${why}`)),
    server: null,
    provider: 'generic',
    info: null,
    connection: null,
    reached: false,
    lasting: null,
    errorWindow: null,
  };
}

const ms = (n: number): string => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
const clean = (err: unknown): string => redact(errorText(err));

export const certWarnDays = 30;

export async function runLadder(target: Target, now: Date = new Date()): Promise<LadderOutcome> {
  const checks: CheckResult[] = [];
  const timeout = target.timeoutMs;
  const out: LadderOutcome = {
    checks,
    server: null,
    provider: providerFromHost(target.host) ?? 'generic',
    info: null,
    connection: null,
    reached: false,
    lasting: null,
    errorWindow: null,
  };
  const ids = ladderIds.filter((id) => id !== 'conn.tls' || target.tls);
  const skipRest = (after: string): LadderOutcome => {
    for (const id of ids.slice(checks.length)) checks.push(skip(id, `not run: ${after} did not pass`));
    return out;
  };

  // conn.dns
  let address = target.host;
  const socket = target.socket;
  if (socket !== undefined) {
    checks.push(pass('conn.dns', `unix socket ${socket}: no DNS lookup`));
  } else if (isIP(target.host)) {
    checks.push(pass('conn.dns', `${target.host} is an IP address`));
  } else {
    try {
      const addrs = await resolveHost(target.host, timeout);
      address = addrs[0] ?? target.host;
      checks.push(pass('conn.dns', `${target.host} resolves to ${addrs.join(', ')}`));
    } catch (err) {
      checks.push(
        fail(
          'conn.dns',
          `${target.host} does not resolve: ${clean(err)}`,
          'check the host name; inside docker compose use the service name (e.g. redis), not localhost',
        ),
      );
      return skipRest('conn.dns');
    }
  }

  // conn.tcp
  try {
    const took = await openTcp(address, target.port, timeout, socket);
    checks.push(
      pass(
        'conn.tcp',
        `${socket !== undefined ? `connection to ${socket}` : `TCP connection to ${target.host}:${target.port}`} opened in ${ms(took)} ms`,
      ),
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint =
      socket !== undefined
        ? 'is Redis running with `unixsocket` set to this path, and may this user open it (unixsocketperm)?'
        : e.code === 'ECONNREFUSED'
          ? 'nothing is listening on that port: is Redis running, and on this port?'
          : 'no answer: a firewall or security group drops the traffic, or the host is in a private network (ElastiCache has no public endpoint: run from inside its VPC)';
    checks.push(
      fail(
        'conn.tcp',
        `cannot open ${socket !== undefined ? `unix socket ${socket}` : `a TCP connection to ${target.host}:${target.port}`}: ${clean(err)}`,
        hint,
      ),
    );
    return skipRest('conn.tcp');
  }

  // conn.protocol
  try {
    const sniff = await sniffProtocol(address, target.port, timeout, socket);
    const wantTls = Boolean(target.tls);
    if (sniff.kind === 'silent') {
      checks.push(
        fail(
          'conn.protocol',
          `the server accepted the connection but sent nothing back within ${timeout} ms`,
          'this port does not answer like Redis: check the port, or whether a proxy or firewall holds the connection',
        ),
      );
      return skipRest('conn.protocol');
    }
    if (sniff.kind === 'other') {
      checks.push(
        fail(
          'conn.protocol',
          `this port does not speak Redis (it answered ${describeStranger(sniff.reply)})`,
          'check the port: another service listens there (a web server, a proxy, SSH...)',
        ),
      );
      out.lasting = 'the protocol on this port';
      return skipRest('conn.protocol');
    }
    if (sniff.kind === 'plaintext' && /max number of clients reached/i.test(sniff.reply)) {
      checks.push(
        fail(
          'conn.protocol',
          `the server refuses new connections: ${sniff.reply.replace(/^-/, '')}`,
          explainError(sniff.reply).hint,
        ),
      );
      return skipRest('conn.protocol');
    }
    if (sniff.kind === 'plaintext' && wantTls) {
      checks.push(
        fail(
          'conn.protocol',
          'the server speaks plaintext on this port, but the client uses TLS (a TLS handshake here would hang)',
          'use redis:// instead of rediss:// (and drop --tls)',
        ),
      );
      out.lasting = 'the protocol on this port';
      return skipRest('conn.protocol');
    }
    if (sniff.kind === 'tls' && !wantTls) {
      checks.push(
        fail(
          'conn.protocol',
          'the server expects TLS on this port, but the client speaks plaintext (it sees ECONNRESET or a hang)',
          'use rediss:// instead of redis://',
        ),
      );
      out.lasting = 'the protocol on this port';
      return skipRest('conn.protocol');
    }
    checks.push(
      pass(
        'conn.protocol',
        wantTls ? 'client and server both use TLS' : 'client and server both use plaintext RESP',
      ),
    );
  } catch (err) {
    checks.push(fail('conn.protocol', `protocol check failed: ${clean(err)}`, explainError(err).hint));
    return skipRest('conn.protocol');
  }

  // conn.tls
  if (target.tls) {
    try {
      const facts = await handshakeTls(target, timeout);
      const until = facts.validTo ? facts.validTo.toISOString().slice(0, 10) : 'unknown';
      const daysLeft = facts.validTo
        ? Math.floor((facts.validTo.getTime() - now.getTime()) / 86_400_000)
        : Infinity;
      if (!target.tls.rejectUnauthorized) {
        checks.push(
          warn(
            'conn.tls',
            `${facts.protocol} handshake done, but verification is off (--insecure)${facts.authorizationError ? `: ${facts.authorizationError}` : ''}`,
            'pass the CA with --cacert instead of --insecure',
          ),
        );
      } else if (daysLeft < certWarnDays) {
        checks.push(
          warn(
            'conn.tls',
            `${facts.protocol}, certificate for ${facts.subject} expires on ${until} (${daysLeft} days left)`,
            'renew the server certificate before it expires',
          ),
        );
      } else {
        checks.push(
          pass(
            'conn.tls',
            `${facts.protocol}, certificate for ${facts.subject} verified, valid until ${until}`,
          ),
        );
      }
    } catch (err) {
      const { hint } = explainError(err);
      checks.push(fail('conn.tls', `TLS handshake failed: ${clean(err)}`, hint));
      out.lasting = 'the TLS settings or certificates';
      return skipRest('conn.tls');
    }
  }

  // conn.auth
  let client: Redis;
  try {
    // No ready check: in LOADING it would wait; conn.ping reports LOADING instead.
    client = await connectStandalone(target, { enableReadyCheck: false });
  } catch (err) {
    // A database that cannot be selected is a connection error (exit 2), not a check.
    if (err instanceof CliError) throw err;
    const { cause, hint } = explainError(err, target.source);
    checks.push(fail('conn.auth', `the server refused the connection: ${clean(err)}`, hint));
    if (['auth-missing', 'auth-wrong', 'acl', 'protected-mode'].includes(cause))
      out.lasting = 'the credentials';
    return skipRest('conn.auth');
  }
  out.connection = {
    client,
    isCluster: false,
    primaries: () => [client],
    close: () => Promise.resolve(client.disconnect()),
  };
  const who = target.username ?? 'default';
  let pingDenied = false;
  try {
    await client.ping();
    checks.push(pass('conn.auth', target.password ? `authenticated as ${who}` : 'no password needed'));
  } catch (err) {
    const { cause, hint } = explainError(err, target.source);
    if (cause === 'acl') {
      // NOPERM: the credentials were accepted; this user just may not run PING.
      pingDenied = true;
      checks.push(pass('conn.auth', `authenticated as ${who}`));
      checks.push(
        warn(
          'conn.ping',
          `user ${who} may not run PING (NOPERM): authenticated, but the round trip cannot be measured`,
          `grant it: ACL SETUSER ${who} +ping (clients and health checks use PING)`,
        ),
      );
    } else if (cause === 'auth-missing' || cause === 'auth-wrong' || cause === 'protected-mode') {
      checks.push(fail('conn.auth', `not authenticated: ${clean(err)}`, hint));
      out.lasting = 'the credentials';
      return skipRest('conn.auth');
    } else {
      // LOADING, MISCONF, BUSY and friends are the server's state, not credentials: conn.ping says so.
      checks.push(
        pass(
          'conn.auth',
          target.password ? `credentials accepted for ${target.username ?? 'default'}` : 'no password needed',
        ),
      );
      checks.push(fail('conn.ping', `PING failed: ${clean(err)}`, hint));
      return skipRest('conn.ping');
    }
  }

  // conn.ping: a short window of round trips, as the app sees them (network included). The
  // error counters are sampled around it: doctor sends nothing but PING there, so a rise is the app's.
  let errorsBefore: { info: InfoRecord; at: number } | null = null;
  if (!pingDenied) {
    try {
      errorsBefore = {
        info: parseInfo(await withTimeout(client.info('errorstats'), timeout, 'INFO errorstats')),
        at: performance.now(),
      };
    } catch {
      // INFO errorstats denied or missing (Upstash): errors.rate says so.
    }
    try {
      const pings = await measurePings(client, pingCount);
      // At least errorWindowMs between the two error samples, so errors.rate sees a real rate.
      const left = errorsBefore ? errorWindowMs - (performance.now() - errorsBefore.at) : 0;
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      checks.push(summarizePings(pings));
    } catch (err) {
      checks.push(fail('conn.ping', `PING failed: ${clean(err)}`, explainError(err).hint));
      return skipRest('conn.ping');
    }
  }

  // server.info
  let info: InfoRecord;
  try {
    info = parseInfo(await withTimeout(client.info(), timeout, 'INFO'));
    out.info = info;
    if (errorsBefore)
      out.errorWindow = { before: errorsBefore.info, after: info, ms: performance.now() - errorsBefore.at };
    out.server = detectServer(info);
    const s = out.server;
    checks.push(pass('server.info', `${s.engine} ${s.version}, ${s.mode}, role ${s.role}`));
  } catch (err) {
    checks.push(fail('server.info', `INFO failed: ${clean(err)}`, explainError(err).hint));
    return skipRest('server.info');
  }

  // server.provider
  out.provider = detectProvider(target.host, info);
  if (providerNeedsTls(out.provider, target.host) && !target.tls) {
    checks.push(
      fail(
        'server.provider',
        `${out.provider} requires TLS, but the target is plaintext`,
        'use the rediss:// URL',
      ),
    );
  } else {
    checks.push(pass('server.provider', `provider: ${out.provider}`));
  }

  // server.topology
  checks.push(await checkTopology(target, info, client, out));
  out.reached = checks.every((c) => c.status !== 'fail' && c.status !== 'skip');
  return out;
}

async function checkTopology(
  target: Target,
  info: InfoRecord,
  client: Redis,
  out: LadderOutcome,
): Promise<CheckResult> {
  const isCluster = info.cluster_enabled === '1';
  if (info.redis_mode === 'sentinel') {
    // Never healthy: run.ts replaces this with describeSentinelPort's verdict (masters, URL).
    out.lasting = 'a Sentinel port';
    return fail(
      'server.topology',
      'this is a Redis Sentinel, not a data node',
      'use a redis+sentinel:// URL',
    );
  }
  if (!isCluster) {
    if (target.forceCluster)
      return fail(
        'server.topology',
        '--cluster was given, but the server is not in cluster mode',
        'drop --cluster: use a standalone client',
      );
    return pass('server.topology', 'standalone server, reached with a standalone client');
  }
  try {
    const clusterInfo = parseInfo(
      String(await withTimeout(client.call('CLUSTER', 'INFO'), target.timeoutMs, 'CLUSTER INFO')),
    );
    const cluster = await connectCluster(target);
    const primaries = cluster.nodes('master');
    const results = await Promise.allSettled(
      primaries.map((n) => withTimeout(n.ping(), target.timeoutMs, 'PING')),
    );
    const failed = results
      .map((r, i) =>
        r.status === 'rejected' ? `${primaries[i]?.options.host}:${primaries[i]?.options.port}` : null,
      )
      .filter(Boolean);
    // Read by the seed's own connection, before it is closed for the cluster client.
    const down = clusterInfo.cluster_state !== 'ok' || failed.length ? await downNodes(client, target) : '';
    void out.connection?.close();
    out.connection = {
      client: cluster,
      isCluster: true,
      primaries: () => cluster.nodes('master'),
      close: () => Promise.resolve(cluster.disconnect()),
    };
    if (clusterInfo.cluster_state !== 'ok') {
      return fail(
        'server.topology',
        `cluster_state is ${clusterInfo.cluster_state}, ${clusterInfo.cluster_slots_ok ?? '?'}/16384 slots ok${down}`,
        'some slots are not served: check the failed primaries',
      );
    }
    if (failed.length)
      return fail(
        'server.topology',
        `cluster: ${failed.length} of ${primaries.length} primaries did not answer: ${failed.join(', ')}${down}`,
        'every primary must be reachable from here',
      );
    return pass(
      'server.topology',
      `cluster of ${primaries.length} primaries, all reached with a cluster client (a standalone client would get MOVED)`,
    );
  } catch (err) {
    return fail(
      'server.topology',
      `this is a cluster node, but the cluster could not be reached as a cluster: ${clean(err)}`,
      'clients must use cluster mode (ioredis: new Redis.Cluster); a standalone client gets MOVED errors',
    );
  }
}

/** Nodes CLUSTER NODES flags as pfail (`fail?`) or fail, as the seed sees them: "; 127.0.0.1:7001 is down (fail)". */
async function downNodes(client: Redis, target: Target): Promise<string> {
  try {
    const text = String(
      await withTimeout(client.call('CLUSTER', 'NODES'), target.timeoutMs, 'CLUSTER NODES'),
    );
    const down = text
      .split('\n')
      .map((l) => l.trim().split(' '))
      .filter((p) => /(^|,)fail\??(,|$)/.test(p[2] ?? ''))
      .map(
        (p) =>
          `${(p[1] ?? '?').split('@')[0]} is ${/fail\?/.test(p[2] ?? '') ? 'suspected down (pfail)' : 'down (fail)'}`,
      );
    return down.length ? `; ${down.join(', ')}` : '';
  } catch {
    return '';
  }
}
