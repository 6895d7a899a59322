/** INFO text → flat record. Section headers and blank lines are dropped. */
export type InfoRecord = Record<string, string>;

export function parseInfo(text: string): InfoRecord {
  const out: InfoRecord = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Parse "keys=1,expires=0,avg_ttl=0" style values (keyspace db lines, errorstats). */
export function parseInfoFields(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** One `db<N>:keys=…,expires=…,avg_ttl=…` line of INFO keyspace. */
export interface DbKeys {
  db: number;
  keys: number;
  expires: number;
  avgTtlMs: number;
}

/** INFO keyspace: one entry per database that holds keys, in db order. */
export function parseKeyspace(info: InfoRecord): DbKeys[] {
  const dbs: DbKeys[] = [];
  for (const [k, v] of Object.entries(info)) {
    const m = /^db(\d+)$/.exec(k);
    if (!m) continue;
    const f = parseInfoFields(v);
    dbs.push({
      db: Number(m[1]),
      keys: Number(f.keys ?? 0) || 0,
      expires: Number(f.expires ?? 0) || 0,
      avgTtlMs: Number(f.avg_ttl ?? 0) || 0,
    });
  }
  return dbs.sort((a, b) => a.db - b.db);
}

/**
 * keyspace_hits / (keyspace_hits + keyspace_misses), unrounded; null when there were no lookups
 * (or a figure is missing). stats and doctor's gate both take the ratio from here.
 */
export function hitRatio(hits: number | null | undefined, misses: number | null | undefined): number | null {
  if (hits === null || hits === undefined || misses === null || misses === undefined) return null;
  return hits + misses === 0 ? null : hits / (hits + misses);
}

export function infoNumber(info: InfoRecord, key: string): number | undefined {
  const v = info[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export type Engine = 'redis' | 'valkey' | 'dragonfly' | 'keydb';

export interface ServerFacts {
  engine: Engine;
  version: string;
  mode: 'standalone' | 'cluster' | 'sentinel';
  role: string;
}

/** Which engine answers: Valkey and Dragonfly report a frozen redis_version (Valkey's src/server.c writes valkey_version beside redis_version:7.2.4). */
export function detectServer(info: InfoRecord): ServerFacts {
  let engine: Engine = 'redis';
  let version = info.redis_version ?? 'unknown';
  if (info.valkey_version) {
    engine = 'valkey';
    version = info.valkey_version;
  } else if (info.dragonfly_version) {
    engine = 'dragonfly';
    version = info.dragonfly_version.replace(/^df-v?/, '');
  } else if (info.mvcc_depth !== undefined) {
    engine = 'keydb';
  }
  const mode =
    info.cluster_enabled === '1' ? 'cluster' : info.redis_mode === 'sentinel' ? 'sentinel' : 'standalone';
  return { engine, version, mode, role: info.role ?? 'unknown' };
}

/** Compare dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One `cmdstat_<name>:calls=…,usec=…,usec_per_call=…,rejected_calls=…,failed_calls=…` line. */
export interface CommandStat {
  /** As the server names it: `get`, `config|get` (subcommands since 7.0). */
  command: string;
  calls: number;
  usec: number;
  /** Refused before running (ACL, OOM, wrong arity: 6.2+); null where the server does not say. */
  rejectedCalls: number | null;
  /** Ran and returned an error (6.2+); null where the server does not say. */
  failedCalls: number | null;
}

const fieldNumber = (f: Record<string, string>, k: string): number | null => {
  const v = f[k];
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** INFO commandstats → one entry per command that ran since start-up (or CONFIG RESETSTAT). */
export function parseCommandStats(info: InfoRecord): CommandStat[] {
  const out: CommandStat[] = [];
  for (const [k, v] of Object.entries(info)) {
    if (!k.startsWith('cmdstat_')) continue;
    const f = parseInfoFields(v);
    out.push({
      command: k.slice('cmdstat_'.length),
      calls: fieldNumber(f, 'calls') ?? 0,
      usec: fieldNumber(f, 'usec') ?? 0,
      rejectedCalls: fieldNumber(f, 'rejected_calls'),
      failedCalls: fieldNumber(f, 'failed_calls'),
    });
  }
  return out;
}

/**
 * INFO latencystats (7.0+): `latency_percentiles_usec_<name>:p50=1.003,p99=2.007,p99.9=3.007`.
 * Which percentiles appear is the server's `latency-tracking-info-percentiles`: keep them all.
 */
export function parseLatencyStats(info: InfoRecord): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const [k, v] of Object.entries(info)) {
    if (!k.startsWith('latency_percentiles_usec_')) continue;
    const p: Record<string, number> = {};
    for (const [name, value] of Object.entries(parseInfoFields(v))) {
      const n = Number(value);
      if (Number.isFinite(n)) p[name] = n;
    }
    out.set(k.slice('latency_percentiles_usec_'.length), p);
  }
  return out;
}

/** INFO errorstats (6.2+): `errorstat_WRONGTYPE:count=3` → { WRONGTYPE: 3 }. */
export function parseErrorStats(info: InfoRecord): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(info)) {
    if (!k.startsWith('errorstat_')) continue;
    out[k.slice('errorstat_'.length)] = fieldNumber(parseInfoFields(v), 'count') ?? 0;
  }
  return out;
}

/**
 * CLIENT LIST: one line per client of `name=value` pairs separated by spaces. Values never hold a
 * space except `name` (CLIENT SETNAME refuses spaces) and `cmd`/`user` which cannot either, so
 * splitting on spaces is what redis-cli users do too.
 */
export function parseClientList(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const rec: Record<string, string> = {};
    for (const part of line.trim().split(' ')) {
      const i = part.indexOf('=');
      if (i > 0) rec[part.slice(0, i)] = part.slice(i + 1);
    }
    out.push(rec);
  }
  return out;
}
