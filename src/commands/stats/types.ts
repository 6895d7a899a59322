import type { OtherPrefixes } from './namespaces.js';
import type { Provider } from '../../redis/provider.js';
import type { HitsFlags, HitsMode } from './hits-options.js';
import type { CommonFlags } from '../connection.js';
import type { BigKey, HotKey, Namespace } from './namespaces.js';
import type { DbKeys } from '../../redis/info.js';
import type { NodeStats, Totals } from './node-stats.js';
import type { WindowRow } from './window.js';

// The stats command's flag, option and result types in one place (index, run, the readers and the
// renderers all read them).

export interface StatsOptions extends CommonFlags, StatsFlags {}

/** Raw commander flags of `stats` (strings as typed); options.ts validates them into a StatsMode. */
export interface StatsFlags extends HitsFlags {
  watch?: boolean | string;
  count?: string;
  keys?: boolean;
  delimiter?: string;
  depth?: string;
  match?: string;
  top?: string;
  sample?: string;
  wide?: boolean;
  /** --section (repeatable, or a comma list): commands, errors, clients. */
  section?: string[];
  /** --hot: with --keys, OBJECT FREQ per key (LFU policies only). */
  hot?: boolean;
}

/** What `stats --section` adds to the snapshot (INFO commandstats/latencystats, errorstats, clients). */
export type StatsSection = 'commands' | 'errors' | 'clients';

export type StatsMode =
  | { kind: 'snapshot'; sections?: StatsSection[]; top?: number }
  | { kind: 'watch'; intervalMs: number; count?: number }
  | {
      kind: 'keys';
      delimiter: string;
      depth: number;
      match?: string;
      top: number;
      sample?: number;
      /** OBJECT FREQ per key (needs an LFU maxmemory-policy). */
      hot?: boolean;
    }
  | HitsMode;

/** A primary that did not answer: named in the output, and the command exits 2. */
export interface NodeFailure {
  address: string;
  error: string;
}

export interface ServerSummary {
  engine: string;
  version: string;
  mode: string;
  role: string;
  uptimeSeconds: number | null;
  provider: Provider;
}

export interface StatsResult {
  target: string;
  server: ServerSummary;
  nodes: NodeStats[];
  failed: NodeFailure[];
  totals: Totals;
}

/** `stats --keys`: SCAN every primary in parallel, size each batch in one round trip. */
export interface KeysOptions {
  delimiter: string;
  depth: number;
  match?: string;
  top: number;
  /** Scan at most this many keys in all, then scale the figures to DBSIZE. */
  sample?: number;
  /** OBJECT FREQ per key: the hottest keys (LFU policies only; checked before scanning). */
  hot?: boolean;
  /**
   * Read inside the server (key-script.ts) where it may: a full walk (no --sample) of a
   * standalone server. Where EVAL is refused or fails, the walk goes on with pipelined reads.
   */
  script?: boolean;
  timeoutMs: number;
  /** Called after every sized batch with the running total of keys scanned. */
  onProgress?: (scanned: number) => void;
  signal?: AbortSignal;
}

export interface KeysResult {
  scanned: number;
  estimated: boolean;
  memoryKnown: boolean;
  namespaces: Namespace[];
  totalNamespaces: number;
  /** The tally was full and folded small prefixes into `other`: counts are approximate. */
  approximate: boolean;
  /** Prefixes folded together to bound memory (namespaces.ts); null when every one is counted. */
  other: OtherPrefixes | null;
  /** keyspace_hits / keyspace_misses this run added on the server (TYPE and PTTL are lookups). */
  ownLookups: { hits: number; misses: number };
  biggest: BigKey[];
  /** Collections with the most elements. */
  mostElements: BigKey[];
  /** With --hot: keys by OBJECT FREQ, hottest first; null without --hot. */
  hot: HotKey[] | null;
  failed: NodeFailure[];
}

/** One node in `stats --json` (README "stats --json"). */
export interface StatsNodeJson {
  address: string;
  role: string;
  usedMemory: number | null;
  peakMemory: number | null;
  maxmemory: number | null;
  maxmemoryPolicy: string | null;
  fragmentationRatio: number | null;
  fragmentationBytes: number | null;
  keys: number;
  expires: number;
  dbs: DbKeys[];
  hits: number | null;
  misses: number | null;
  evictedKeys: number | null;
  expiredKeys: number | null;
  opsPerSec: number | null;
  inputKbps: number | null;
  outputKbps: number | null;
  connectedClients: number | null;
  blockedClients: number | null;
  maxclients: number | null;
  persistence: Record<string, string> | null;
  replication: Record<string, string> | null;
}

/** `stats --json`. */
export interface StatsJson {
  target: string;
  server: ServerSummary;
  nodes: StatsNodeJson[];
  failedNodes: NodeFailure[];
  totals: Totals;
}

/** `stats --keys --json`: prefixes and keys shown as text (binary bytes as \xNN). */
export interface KeysJson {
  scanned: number;
  estimated: boolean;
  memoryKnown: boolean;
  namespaces: Array<{
    prefix: string;
    keys: number;
    bytes: number | null;
    noTtlKeys: number;
    types: Record<string, number>;
    /** Elements in its collections (HLEN/LLEN/SCARD/ZCARD/XLEN summed; strings add none). */
    elements: number;
  }>;
  totalNamespaces: number;
  /** The prefix tally was full: the smallest prefixes were folded into `other`. */
  approximate: boolean;
  other: OtherPrefixes | null;
  /** The keyspace hits/misses this run added itself (TYPE, PTTL, the *LEN commands, OBJECT FREQ). */
  ownLookups: { hits: number; misses: number };
  /** Biggest keys by memory; `elements` null for strings. */
  biggest: Array<{ key: string; type: string; bytes: number; elements: number | null }>;
  /** Collections with the most elements (what redis-cli --bigkeys looks for). */
  mostElements: Array<{ key: string; type: string; bytes: number; elements: number | null }>;
  /** With --hot: the keys with the highest OBJECT FREQ (LFU counter, 0-255); null without --hot. */
  hot: Array<{ key: string; type: string; freq: number }> | null;
  failedNodes: NodeFailure[];
}

/** The window across a switch of primary: marked, never shown as a row of zero traffic. */
export interface FailoverEvent {
  time: string;
  failover: { primary: string; previous: string; gapMs: number };
}

/** One line of `stats --watch --json` (JSON Lines): a window's row, or a failover between two. */
export type WatchJson = WindowRow | FailoverEvent;

/** How key-miss events were had for a `stats --hits` sample. */
export type KeymissState = 'on' | 'enabled-for-sample' | 'unavailable';

/** `stats --hits --json` (README "stats --hits"); one such line per interval with --watch. */
export interface HitsNamespaceJson {
  prefix: string;
  reads: number;
  hits: number | null;
  misses: number | null;
  hitRatio: number | null;
  writes: number;
  writesWithoutTtl: number;
  hotKeys: Array<{ key: string; reads: number }>;
  missedKeys: Array<{ key: string; misses: number }>;
}

export interface HitsJson {
  durationMs: number;
  commandsSeen: number;
  coverage: number | null;
  globalHitRatio: number | null;
  namespaces: HitsNamespaceJson[];
  keymiss: KeymissState;
  restored: boolean;
}

/** One command in `stats --section commands` (INFO commandstats, with INFO latencystats on 7.0+). */
export interface CommandStatJson {
  /** As the server names it: `get`, `config|get`. */
  command: string;
  calls: number;
  /** Time the server spent running it, in microseconds, since start-up or CONFIG RESETSTAT. */
  usec: number;
  usecPerCall: number;
  /** Refused before running (ACL, OOM, arity); null where the server does not say (< 6.2). */
  rejectedCalls: number | null;
  /** Ran and answered an error; null where the server does not say (< 6.2). */
  failedCalls: number | null;
  /**
   * Latency percentiles in microseconds (`p50`, `p99`, `p99.9`: the server's
   * latency-tracking-info-percentiles); null before 7.0 or with latency-tracking off. Summed
   * over a cluster's primaries: the worst node's figure for each percentile.
   */
  latencyUsec: Record<string, number> | null;
}

/** `stats --section errors` (INFO errorstats, 6.2+; and the commands that failed). */
export interface ErrorsSectionJson {
  /** False where INFO has no errorstats section (< 6.2, Upstash): counts are unknown, not 0. */
  reported: boolean;
  /** Error replies by their first word (`WRONGTYPE`, `ERR`, `NOPERM`), most first. */
  byType: Array<{ type: string; count: number }>;
  /** Commands with failed or rejected calls, most first. */
  byCommand: Array<{ command: string; failedCalls: number; rejectedCalls: number }>;
}

/** One client from CLIENT LIST, as `stats --section clients` lists the biggest buffers. */
export interface ClientBufferJson {
  node: string;
  id: string;
  addr: string;
  name: string;
  /** The last command it sent (`subscribe`, `monitor`, `get`). */
  cmd: string;
  flags: string;
  ageSeconds: number;
  idleSeconds: number;
  /** Output buffer the server holds for it (omem): replies it has not read yet. */
  outputBytes: number;
  /** Replies queued in the output list (oll). */
  outputReplies: number;
  /** Query buffer (qbuf): what it sent that is not parsed yet. */
  queryBytes: number;
  /** Everything the server holds for this client (tot-mem). */
  totalBytes: number;
}

/** `stats --section clients`: INFO clients, and the biggest output buffers from CLIENT LIST. */
export interface ClientsSectionJson {
  connected: number | null;
  blocked: number | null;
  maxclients: number | null;
  /** INFO clients' recent maxima (the server's own sliding window of a few seconds). */
  recentMaxOutputBuffer: number | null;
  recentMaxInputBuffer: number | null;
  /** CLIENT LIST was read (false: refused, or more clients than we list; see `unlisted`). */
  listed: boolean;
  unlisted: string | null;
  /** Clients holding a subscription (sub + psub + ssub > 0), counted from CLIENT LIST. */
  subscribers: number | null;
  /** The clients with the biggest output buffers (then total memory), at most --top; ours left out. */
  biggest: ClientBufferJson[];
}

/** One primary's sections. */
export interface SectionsNodeJson {
  address: string;
  commands?: CommandStatJson[];
  errors?: ErrorsSectionJson;
  clients?: ClientsSectionJson;
}

/** What `--section` adds: per primary, and over all of them (a cluster). */
export interface StatsSectionsJson {
  /** The sections asked for, in the order given. */
  names: StatsSection[];
  /** Every command that ran, by total time, summed over the primaries. */
  commands?: CommandStatJson[];
  errors?: ErrorsSectionJson;
  clients?: ClientsSectionJson;
  nodes: SectionsNodeJson[];
}

/** `stats --section ... --json`: the snapshot and the sections asked for. */
export interface SectionsJson extends StatsJson {
  sections: StatsSectionsJson;
}
