import type { Redis } from 'ioredis';
import { discoverQueues } from '../queues/discover.js';
import type { Connection } from '../redis/connect.js';
import { errorText } from '../redis/hints.js';
import { parseInfo, type InfoRecord, type ServerFacts } from '../redis/info.js';
import type { Provider } from '../redis/provider.js';
import { redact } from '../redis/secrets.js';
import type { Target } from '../redis/target.js';
import { withTimeout } from '../redis/timeout.js';
import type { ConfigFacts, Facts, ScriptingFacts, SlowlogFacts, Use } from './facts.js';
import { scalarText } from '../text.js';
import { sampleKeyTtls } from './keys-ttl.js';

/**
 * Reads the facts the fitness checks need. Read-only by design: INFO, CONFIG GET, SLOWLOG GET,
 * SCAN (through discoverQueues), ACL DRYRUN and a `return 1` EVAL; never KEYS, never a write.
 */
export const configNames = [
  'maxmemory-policy',
  'maxmemory',
  'appendonly',
  'appendfsync',
  'maxclients',
  'slowlog-log-slower-than',
  'bind',
];

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

export async function readSlowlog(nodes: Redis[], ms: number): Promise<SlowlogFacts> {
  try {
    const logs = await withTimeout(
      Promise.all(nodes.map((n) => n.call('SLOWLOG', 'GET', '128') as Promise<unknown[]>)),
      ms,
      'SLOWLOG GET',
    );
    const entries = logs.flat().map((raw) => {
      const e = raw as unknown[];
      const args = (e[3] as unknown[] | undefined) ?? [];
      return { durationUs: Number(e[2] ?? 0), command: (scalarText(args[0]) || '?').toUpperCase() };
    });
    return { entries, unavailable: null };
  } catch (err) {
    return { entries: [], unavailable: `SLOWLOG is not available: ${reason(err)}` };
  }
}

/** The commands BullMQ needs beyond plain reads and writes. */
const bullmqCommands: string[][] = [
  ['EVAL', 'return 1', '0'],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
  ['BZPOPMIN', 'redis-ops:probe', '1'],
];

export async function probeScripting(node: Redis, username: string, ms: number): Promise<ScriptingFacts> {
  try {
    const denied: string[] = [];
    for (const cmd of bullmqCommands) {
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
  /** Where `use` came from: --use, or redis-ops.yaml. */
  useSource?: 'flag' | 'config';
  /** Discover queues even when --use is given (hash tags on a cluster, queue gates). */
  needQueues: boolean;
}

export async function gatherFacts(input: GatherInput): Promise<Facts> {
  const { connection, target } = input;
  const ms = target.timeoutMs;
  const primaries = connection.primaries();
  const first = primaries[0] as Redis;
  const nodes = connection.isCluster
    ? await Promise.all(primaries.map(async (n) => parseInfo(await withTimeout(n.info(), ms, 'INFO'))))
    : [input.info];
  let queues: Facts['queues'] = null;
  let queuesUnavailable: string | null = null;
  if (input.needQueues || !input.use) {
    try {
      queues = await discoverQueues(primaries);
    } catch (err) {
      queuesUnavailable = `SCAN failed: ${reason(err)}`;
    }
  }
  const use: Use = input.use ?? (queues && queues.length > 0 ? 'queue' : 'cache');
  const username = target.username ?? 'default';
  const [config, slowlog, scripting, keyTtl] = await Promise.all([
    readConfig(first, ms),
    readSlowlog(primaries, ms),
    use === 'cache' ? Promise.resolve(null) : probeScripting(first, username, ms),
    use === 'queue' ? Promise.resolve(null) : sampleKeyTtls(primaries, ms),
  ]);
  return {
    info: input.info,
    nodes,
    server: input.server,
    provider: input.provider,
    host: target.host,
    hasPassword: Boolean(target.password),
    username,
    isCluster: connection.isCluster,
    use,
    useSource: input.use ? (input.useSource ?? 'flag') : 'inferred',
    config,
    slowlog,
    scripting,
    queues,
    queuesUnavailable,
    keyTtl,
  };
}
