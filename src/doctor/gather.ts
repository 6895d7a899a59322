import type { Redis } from 'ioredis';
import type { Connection } from '../redis/connect.js';
import { errorText } from '../redis/hints.js';
import { parseInfo, type InfoRecord, type ServerFacts } from '../redis/info.js';
import type { Provider } from '../redis/provider.js';
import { redact } from '../redis/secrets.js';
import type { Target } from '../redis/target.js';
import { withTimeout } from '../redis/timeout.js';
import { readAcl } from './acl.js';
import type {
  ConfigFacts,
  FactUse,
  Facts,
  ScriptingFacts,
  SlowlogEntry,
  SlowlogFacts,
  Use,
  UseSource,
} from './facts.js';
import { pingWithoutAuth } from './probes.js';
import { probeUse, type UseProbe } from './use-probe.js';
import { scalarText } from '../text.js';
import { keyspaceTtl, sampleKeyTtls } from './keys-ttl.js';
import { formatCount } from '../ui/format.js';

/**
 * Reads the facts the fitness checks need. Read-only by design: INFO, CONFIG GET, SLOWLOG GET,
 * CLIENT LIST, a SCAN within a budget, MEMORY USAGE, ACL LIST/DRYRUN and a `return 1` EVAL;
 * never KEYS, never a write, and no command that counts as a keyspace hit or miss.
 */
export const configNames = [
  'maxmemory-policy',
  'maxmemory',
  'appendonly',
  'appendfsync',
  'maxclients',
  'slowlog-log-slower-than',
  'bind',
  'protected-mode',
  'replica-read-only',
  'min-replicas-to-write',
  'latency-monitor-threshold',
  'enable-debug-command',
  'enable-module-command',
  'save',
];

/** Commands no app needs; ACL DRYRUN says whether the user may run them (nothing runs). */
const dangerousProbes: string[][] = [
  ['FLUSHALL'],
  ['CONFIG', 'SET', 'maxmemory', '0'],
  ['DEBUG', 'SLEEP', '0'],
  ['SHUTDOWN'],
  ['MODULE', 'LIST'],
];

async function readDangerous(node: Redis, user: string, ms: number): Promise<string[] | null> {
  try {
    const answers = await withTimeout(
      Promise.all(dangerousProbes.map((c) => node.call('ACL', 'DRYRUN', user, ...c))),
      ms,
      'ACL DRYRUN',
    );
    return dangerousProbes
      .filter((_, i) => String(answers[i]) === 'OK')
      .map((c) => (c[0] === 'CONFIG' ? 'CONFIG SET' : (c[0] as string)));
  } catch {
    return null;
  }
}

async function readLatency(nodes: Redis[], names: string[], ms: number): Promise<Facts['latency']> {
  try {
    const all = await withTimeout(
      Promise.all(nodes.map((n) => n.call('LATENCY', 'LATEST') as Promise<unknown[]>)),
      ms,
      'LATENCY LATEST',
    );
    const events = all.flatMap((rows, i) =>
      rows.map((raw) => {
        const r = raw as unknown[];
        return {
          node: names[i] ?? '?',
          event: scalarText(r[0]),
          latestMs: Number(r[2] ?? 0),
          maxMs: Number(r[3] ?? 0),
        };
      }),
    );
    return { events, unavailable: null };
  } catch (err) {
    return { events: [], unavailable: `LATENCY is not available: ${reason(err)}` };
  }
}

const reason = (err: unknown): string => redact(errorText(err));

export async function readConfig(node: Redis, ms: number): Promise<ConfigFacts> {
  const values: Record<string, string> = {};
  try {
    const answers = await withTimeout(
      Promise.all(configNames.map((n) => node.call('CONFIG', 'GET', n))),
      ms,
      'CONFIG GET',
    );
    for (const answer of answers) {
      // RESP2 gives [name, value]; RESP3 a map (ioredis may hand it over as an array or object).
      const pairs: unknown[] = Array.isArray(answer) ? answer : Object.entries(answer as object).flat();
      for (let i = 0; i + 1 < pairs.length; i += 2) values[String(pairs[i])] = String(pairs[i + 1]);
    }
  } catch (err) {
    const text = reason(err);
    const why = /unknown command/i.test(text)
      ? 'CONFIG is blocked or renamed on this server'
      : /NOPERM/.test(text)
        ? 'this user may not run CONFIG'
        : 'CONFIG GET failed';
    return { values, unavailable: `${why} (${text})` };
  }
  // Upstash answers every CONFIG GET but notify-keyspace-events with an empty array.
  if (Object.keys(values).length === 0)
    return { values, unavailable: 'CONFIG GET answers empty on this server' };
  return { values, unavailable: null };
}

/** The slow log is judged over the last hour: older entries are history, not today's latency. */
export const slowlogWindowSeconds = 3600;

export async function readSlowlog(nodes: Redis[], ms: number): Promise<SlowlogFacts> {
  try {
    const logs = await withTimeout(
      Promise.all(nodes.map((n) => n.call('SLOWLOG', 'GET', '128') as Promise<unknown[]>)),
      ms,
      'SLOWLOG GET',
    );
    // Entry: [id, unix time, µs, args, client addr, client name]. Doctor's own commands (its
    // connections are named redis-ops) and entries older than the window are not the app's now.
    const since = Date.now() / 1000 - slowlogWindowSeconds;
    let own = 0;
    let old = 0;
    const entries: SlowlogEntry[] = [];
    for (const raw of logs.flat()) {
      const e = raw as unknown[];
      if (scalarText(e[5]) === 'redis-ops') {
        own++;
        continue;
      }
      if (Number(e[1] ?? 0) < since) {
        old++;
        continue;
      }
      const args = (e[3] as unknown[] | undefined) ?? [];
      entries.push({ durationUs: Number(e[2] ?? 0), command: (scalarText(args[0]) || '?').toUpperCase() });
    }
    return { entries, own, old, unavailable: null };
  } catch (err) {
    return { entries: [], own: 0, old: 0, unavailable: `SLOWLOG is not available: ${reason(err)}` };
  }
}

/**
 * The commands BullMQ's workers need beyond plain reads and writes, on a key under the queues'
 * prefix: a least-privilege user limited to `~bull:*` runs a real Worker, so a probe key outside
 * the prefix would be denied for the wrong reason. Scripts' inner commands are ACL-checked too.
 */
export function bullmqCommands(prefix: string): string[][] {
  const key = `${prefix}:redis-ops-probe`;
  return [
    ['EVAL', 'return 1', '1', key],
    ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '1', key],
    ['BZPOPMIN', `${key}:marker`, '1'],
    ['XREAD', 'COUNT', '1', 'STREAMS', `${key}:events`, '0'],
    ['HSET', key, 'f', 'v'],
    ['LPUSH', `${key}:wait`, 'x'],
    ['ZADD', `${key}:delayed`, '1', 'x'],
    ['XADD', `${key}:events`, '*', 'f', 'v'],
  ];
}

export async function probeScripting(
  node: Redis,
  username: string,
  prefix: string,
  ms: number,
): Promise<ScriptingFacts> {
  try {
    const denied: string[] = [];
    for (const cmd of bullmqCommands(prefix)) {
      const answer = String(
        await withTimeout(node.call('ACL', 'DRYRUN', username, ...cmd), ms, 'ACL DRYRUN'),
      );
      if (answer !== 'OK') denied.push(cmd[0] as string);
    }
    return { denied, method: 'acl-dryrun', unavailable: null };
  } catch {
    // ACL DRYRUN needs Redis 7 and the ACL permission: fall back to a script that touches nothing.
  }
  try {
    await withTimeout(node.call('EVAL', 'return 1', '0'), ms, 'EVAL');
    return { denied: [], method: 'eval', unavailable: null };
  } catch (err) {
    const text = reason(err);
    if (/NOPERM|unknown command|disabled|not allowed/i.test(text))
      return { denied: ['EVAL', 'EVALSHA'], method: 'eval', unavailable: null };
    return { denied: [], method: 'eval', unavailable: `could not check scripting: ${text}` };
  }
}

export interface GatherInput {
  connection: Connection;
  info: InfoRecord;
  server: ServerFacts;
  provider: Provider;
  target: Target;
  use?: Use;
  useSource?: Exclude<UseSource, 'inferred'>;
  /** Discover queues even when --use is given (hash tags on a cluster, queue gates). */
  needQueues: boolean;
  errorWindow?: Facts['errorWindow'];
  forkWarnMs?: number;
}

const fmt = formatCount;

/** The use from the bounded evidence; unknown where the evidence cannot rule queues out. */
export function inferUse(probe: UseProbe, nodes: InfoRecord[]): { use: FactUse; reason: string } {
  const shown = (bases: string[]): string =>
    bases.slice(0, 3).join(', ') + (bases.length > 3 ? `, and ${bases.length - 3} more` : '');
  if (probe.clientQueues.length)
    return {
      use: 'queue',
      reason: `inferred queue: BullMQ connections for ${shown(probe.clientQueues)} in CLIENT LIST (pass --use to override)`,
    };
  if (probe.queues.length) {
    const n = probe.queues.length;
    return {
      use: 'queue',
      reason: `inferred queue: ${n} BullMQ queue${n > 1 ? 's' : ''} found: ${shown(probe.queues.map((q) => q.base))} (pass --use to override)`,
    };
  }
  if (probe.scanUnavailable)
    return {
      use: 'unknown',
      reason: `use unknown: ${probe.scanUnavailable}, and no BullMQ connection in CLIENT LIST${probe.clientsUnavailable ? ` (unreadable: ${probe.clientsUnavailable})` : ''}; pass --use`,
    };
  const evicted = nodes.reduce((s, n) => s + (Number(n.evicted_keys ?? 0) || 0), 0);
  if (evicted > 0)
    return {
      use: 'unknown',
      reason: `use unknown: no queues found, but ${fmt(evicted)} keys were evicted${nodes[0]?.maxmemory_policy ? ` (maxmemory-policy ${nodes[0].maxmemory_policy})` : ''}, and queue keys may have been among them; pass --use to be sure`,
    };
  if (!probe.complete)
    return {
      use: 'unknown',
      reason: `use unknown: queues: none found in the first ${fmt(probe.scanned)} of ${fmt(probe.totalKeys)} keys (${probe.scanStopped ?? 'budget'}); pass --use to be sure`,
    };
  return {
    use: 'cache',
    reason: `inferred cache: no BullMQ queues in all ${fmt(probe.scanned)} keys and no BullMQ connection (pass --use to override)`,
  };
}

export async function gatherFacts(input: GatherInput): Promise<Facts> {
  const { connection, target } = input;
  const ms = target.timeoutMs;
  const primaries = connection.primaries();
  const first = primaries[0] as Redis;
  // INFO of every node first: it must not include doctor's own reads (hit ratio, commandstats).
  const nodes = connection.isCluster
    ? await Promise.all(primaries.map(async (n) => parseInfo(await withTimeout(n.info(), ms, 'INFO'))))
    : [input.info];
  const nodeNames = primaries.map((n) => `${n.options.host ?? target.host}:${n.options.port ?? target.port}`);
  let probe: UseProbe | null = null;
  if (input.needQueues || !input.use) {
    probe = await probeUse(primaries, nodes, {
      timeoutMs: ms,
      db: connection.isCluster ? undefined : (target.db ?? 0),
    });
  }
  const inferred = probe
    ? inferUse(probe, nodes)
    : { use: 'unknown' as FactUse, reason: 'use unknown: not probed' };
  const use: FactUse = input.use ?? inferred.use;
  const useSource: UseSource = input.use ? (input.useSource ?? 'flag') : 'inferred';
  const useReason = input.use
    ? useSource === 'config'
      ? `use: ${input.use} in redis-ops.yaml`
      : `--use ${input.use}`
    : inferred.reason;
  const queues = probe && !probe.scanUnavailable ? probe.queues : probe?.queues.length ? probe.queues : null;
  const queuesUnavailable =
    queues === null
      ? (probe?.scanUnavailable ?? 'not probed')
      : queues.length === 0 && probe && !probe.complete
        ? `queues: none found in the first ${fmt(probe.scanned)} of ${fmt(probe.totalKeys)} keys (${probe.scanStopped ?? 'budget'})`
        : null;
  const username = target.username ?? 'default';
  const prefix = queues?.[0]?.prefix ?? 'bull';
  const [configs, slowlog, scripting, unauthPing, acl, latency, dangerous, clusterNodes, keyTtl] =
    await Promise.all([
      Promise.all(primaries.map((n) => readConfig(n, ms))),
      readSlowlog(primaries, ms),
      use === 'cache' ? Promise.resolve(null) : probeScripting(first, username, prefix, ms),
      pingWithoutAuth(target, ms).then(
        (reply) => ({ reply, error: null }),
        (err: unknown) => ({ reply: null, error: reason(err) }),
      ),
      readAcl(first, ms),
      readLatency(primaries, nodeNames, ms),
      readDangerous(first, username, ms),
      connection.isCluster
        ? withTimeout(first.call('CLUSTER', 'NODES'), ms, 'CLUSTER NODES').then(String, () => null)
        : Promise.resolve(null),
      use === 'queue'
        ? Promise.resolve(null)
        : sampleKeyTtls(primaries, ms, keyspaceTtl(nodes, connection.isCluster ? 0 : (target.db ?? 0))),
    ]);
  return {
    info: input.info,
    nodes,
    nodeNames,
    server: input.server,
    provider: input.provider,
    host: target.host,
    hasPassword: Boolean(target.password),
    username,
    isCluster: connection.isCluster,
    use,
    useSource,
    useReason,
    unauthPing,
    acl,
    tls: Boolean(target.tls),
    latency,
    errorWindow: input.errorWindow ?? null,
    forkWarnMs: input.forkWarnMs,
    clusterNodes,
    dangerous,
    probe,
    config: configs[0] ?? { values: {}, unavailable: 'no primary answered CONFIG GET' },
    configs,
    slowlog,
    scripting,
    queues,
    queuesUnavailable,
    keyTtl,
  };
}
