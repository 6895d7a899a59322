import { isIP } from 'node:net';
import { infoNumber, parseInfoFields } from '../redis/info.js';
import { isLoopback } from '../redis/provider.js';
import { formatBytes, formatCount } from '../ui/format.js';
import { forQueues, nodeName, type Facts } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/**
 * The checks a senior Redis SRE runs by hand (issue 11), each read-only, from INFO, CONFIG,
 * LATENCY LATEST, CLUSTER NODES and ACL DRYRUN, each a pure function of the facts.
 */

const MB = 1024 * 1024;
const fmtMs = (n: number): string => (n < 10 ? n.toFixed(1) : Math.round(n).toString());

/** LATENCY LATEST on every primary: events the latency monitor recorded. */
export function checkLatencyEvents(facts: Facts): CheckResult {
  const id = 'latency.events';
  const l = facts.latency;
  if (l.unavailable) return skip(id, l.unavailable);
  const threshold = Number(facts.config.values['latency-monitor-threshold'] ?? NaN);
  if (l.events.length === 0) {
    if (threshold === 0)
      return skip(
        id,
        'the latency monitor is off (latency-monitor-threshold 0): turn it on to see spikes (CONFIG SET latency-monitor-threshold 100)',
      );
    return pass(id, 'no latency event recorded by the latency monitor');
  }
  const worst = [...l.events].sort((a, b) => b.maxMs - a.maxMs);
  const shown = worst
    .slice(0, 4)
    .map(
      (e) =>
        `${e.event} max ${e.maxMs} ms (latest ${e.latestMs} ms)${facts.nodes.length > 1 ? ` on ${e.node}` : ''}`,
    );
  return warn(
    id,
    `the latency monitor recorded ${l.events.length} event type(s): ${shown.join(', ')}`,
    'LATENCY DOCTOR explains each event (fork = big dataset and persistence, command = slow commands, expire-cycle = many keys expiring at once); LATENCY RESET after fixing',
  );
}

/** The default latency.fork threshold; --max-fork / maxFork set another. */
export const defaultForkWarnMs = 500;

/** Fork time: every BGSAVE/AOF rewrite blocks all clients for latest_fork_usec. */
export function checkFork(facts: Facts): CheckResult {
  const id = 'latency.fork';
  let worst: { usec: number; node: number } | undefined;
  facts.nodes.forEach((info, i) => {
    const usec = infoNumber(info, 'latest_fork_usec');
    if (usec !== undefined && (!worst || usec > worst.usec)) worst = { usec, node: i };
  });
  if (!worst) return skip(id, 'INFO has no latest_fork_usec (the provider hides it)');
  if (worst.usec === 0) return pass(id, 'no fork since the start (no RDB save or AOF rewrite yet)');
  const where = facts.nodes.length > 1 ? ` on ${nodeName(facts, worst.node)}` : '';
  const text = `the last fork took ${fmtMs(worst.usec / 1000)} ms${where}: every client waits that long at each save`;
  const limitMs = facts.forkWarnMs ?? defaultForkWarnMs;
  if (worst.usec > limitMs * 1000)
    return warn(
      id,
      `${text} (more than ${limitMs} ms${facts.forkWarnMs === undefined ? '' : ', the limit set'})`,
      'a big dataset forks slowly: disable transparent huge pages, save less often, or keep the dataset smaller per instance',
    );
  return pass(id, text);
}

/** MEMORY DOCTOR's cases, from INFO memory (same thresholds as Redis's own report). */
export function checkMemoryDoctor(facts: Facts): CheckResult {
  const id = 'mem.doctor';
  const findings: string[] = [];
  facts.nodes.forEach((info, i) => {
    const n = (k: string): number => infoNumber(info, k) ?? 0;
    const used = n('used_memory');
    if (used < 5 * MB) return;
    const where = facts.nodes.length > 1 ? ` (${nodeName(facts, i)})` : '';
    const peak = n('used_memory_peak');
    if (peak > used * 1.5)
      findings.push(
        `peak memory ${formatBytes(peak)} is ${(peak / used).toFixed(1)}× the current ${formatBytes(used)}${where}: fragmentation ratios mislead, and the peak must fit too`,
      );
    if (n('allocator_frag_ratio') > 1.1 && n('allocator_frag_bytes') > 10 * MB)
      findings.push(
        `allocator fragmentation ${n('allocator_frag_ratio')} (${formatBytes(n('allocator_frag_bytes'))})${where}: activedefrag yes can reclaim it`,
      );
    if (n('allocator_rss_ratio') > 1.1 && n('allocator_rss_bytes') > 10 * MB)
      findings.push(
        `allocator RSS overhead ${n('allocator_rss_ratio')} (${formatBytes(n('allocator_rss_bytes'))})${where}: pages the allocator holds but does not use`,
      );
    if (n('rss_overhead_ratio') > 1.1 && n('rss_overhead_bytes') > 10 * MB)
      findings.push(
        `RSS overhead ${n('rss_overhead_ratio')} (${formatBytes(n('rss_overhead_bytes'))}) beyond the allocator${where}: forks (copy-on-write) or libraries use memory`,
      );
  });
  if (findings.length === 0)
    return pass(id, 'MEMORY DOCTOR cases: none (peak, fragmentation and RSS overhead are fine)');
  return warn(
    id,
    findings.join('; '),
    'see MEMORY DOCTOR on the server; a restart during a quiet period returns fragmented memory',
  );
}

/** Client output buffers: a slow reader or a huge reply holds memory outside maxmemory's view. */
export function checkClientBuffers(facts: Facts): CheckResult {
  const id = 'clients.buffers';
  let worst: { bytes: number; node: number } | undefined;
  facts.nodes.forEach((info, i) => {
    const bytes = infoNumber(info, 'client_recent_max_output_buffer');
    if (bytes !== undefined && (!worst || bytes > worst.bytes)) worst = { bytes, node: i };
  });
  if (!worst) return skip(id, 'INFO clients has no client_recent_max_output_buffer');
  const where = facts.nodes.length > 1 ? ` on ${nodeName(facts, worst.node)}` : '';
  const text = `the biggest recent client output buffer is ${formatBytes(worst.bytes)}${where}`;
  if (worst.bytes > 32 * MB)
    return warn(
      id,
      `${text}: a client reads too slowly or asks for huge replies (MONITOR, KEYS, HGETALL of a big hash)`,
      'CLIENT LIST shows omem per client; page through big keys (HSCAN, LRANGE in ranges) and check client-output-buffer-limit',
    );
  return pass(id, text);
}

/** errorstat_* that rose while doctor measured PING (doctor sends nothing that fails then). */
export function checkErrors(facts: Facts): CheckResult {
  const id = 'errors.rate';
  const w = facts.errorWindow;
  const totals: Array<[string, number]> = [];
  for (const info of facts.nodes)
    for (const [k, v] of Object.entries(info))
      if (k.startsWith('errorstat_')) totals.push([k.slice(10), Number(parseInfoFields(v).count ?? 0) || 0]);
  const since = totals.length
    ? `; since the start: ${totals
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`
    : '';
  if (!w) return skip(id, `the error counters could not be sampled twice${since}`);
  const rising: Array<[string, number]> = [];
  for (const [k, v] of Object.entries(w.after)) {
    if (!k.startsWith('errorstat_')) continue;
    const after = Number(parseInfoFields(v).count ?? 0) || 0;
    const before = Number(parseInfoFields(w.before[k] ?? '').count ?? 0) || 0;
    if (after > before) rising.push([k.slice(10), after - before]);
  }
  if (rising.length) {
    const perSec = (n: number): string => (n / Math.max(0.001, w.ms / 1000)).toFixed(0);
    return warn(
      id,
      `errors are rising now: ${rising.map(([k, n]) => `${k} +${n} (${perSec(n)}/s)`).join(', ')} within ${Math.round(w.ms)} ms${since}`,
      'a client gets error replies right now: WRONGTYPE/ERR point at a bug, NOPERM at ACLs, OOM at memory, MOVED at a client in the wrong mode',
    );
  }
  return pass(id, `no error reply during ${Math.round(w.ms)} ms of sampling${since}`);
}

/** Age of the last good RDB save with many unsaved changes (where RDB is the persistence). */
export function checkSaveAge(facts: Facts): CheckResult {
  const id = 'persist.age';
  const info = facts.info;
  const changes = infoNumber(info, 'rdb_changes_since_last_save');
  const last = infoNumber(info, 'rdb_last_save_time');
  const now = infoNumber(info, 'server_time_usec');
  if (changes === undefined || last === undefined) return skip(id, 'INFO has no persistence section');
  if (info.aof_enabled === '1')
    return pass(id, 'AOF is on: writes reach the disk without waiting for a snapshot');
  const save = facts.config.values.save;
  if (save === '' && !forQueues(facts.use))
    return pass(id, 'no persistence configured (save ""): a restart empties this cache, by choice');
  const ageSec = Math.max(0, (now !== undefined ? now / 1e6 : Date.now() / 1000) - last);
  const age = ageSec > 7200 ? `${(ageSec / 3600).toFixed(1)} h` : `${Math.round(ageSec / 60)} min`;
  const text = `${formatCount(changes)} changes since the last good save ${age} ago`;
  if (changes > 10_000 && ageSec > 3600)
    return warn(
      id,
      `${text}: a restart now loses them`,
      save === ''
        ? 'nothing saves this instance (save ""): set save rules or appendonly yes'
        : 'saves are not happening as configured: check rdb_last_bgsave_status and the save rules; or turn on AOF',
    );
  return pass(id, text);
}

/** CLUSTER NODES: failing or suspected nodes, and primaries without a replica. */
export function checkClusterNodes(facts: Facts): CheckResult {
  const id = 'cluster.nodes';
  if (!facts.isCluster) return skip(id, 'not a cluster');
  if (facts.clusterNodes === null) return skip(id, 'CLUSTER NODES could not be read');
  const rows = facts.clusterNodes
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p) => p.length >= 8);
  const addr = (p: string[]): string => (p[1] ?? '?').split('@')[0] ?? '?';
  const failing = rows.filter((p) => /(^|,)fail\??(,|$)/.test(p[2] ?? ''));
  // A primary that serves slots (fields after the 8th); an empty one (just joined) serves nothing.
  const primaries = rows.filter((p) => /master/.test(p[2] ?? '') && !/fail/.test(p[2] ?? '') && p.length > 8);
  const replicated = new Set(rows.filter((p) => /slave/.test(p[2] ?? '')).map((p) => p[3]));
  const lonely = primaries.filter((p) => !replicated.has(p[0]));
  if (failing.length)
    return fail(
      id,
      `${failing.map((p) => `${addr(p)} is ${/fail\?/.test(p[2] ?? '') ? 'suspected down (pfail)' : 'down (fail)'}`).join(', ')}`,
      'bring the node back or replace it; a primary in fail without a replica leaves its slots unserved',
    );
  if (lonely.length)
    return warn(
      id,
      `${lonely.length} of ${primaries.length} primaries have no replica (${lonely.map(addr).join(', ')}): if one fails, its slots and keys are lost`,
      'add a replica per primary (redis-cli --cluster add-node --cluster-slave)',
    );
  return pass(id, `${primaries.length} primaries, each with a replica; no node in pfail or fail`);
}

const loopback = (a: string): boolean => {
  const x = a.replace(/^-/, '');
  return x === '::1' || x === 'localhost' || (isIP(x) === 4 && x.startsWith('127.'));
};

/** Where the server listens and whether the traffic is encrypted there. */
export function checkNetwork(facts: Facts): CheckResult {
  const id = 'sec.network';
  const bind = facts.config.values.bind;
  const exposed = bind === undefined ? [] : bind.split(/\s+/).filter((a) => a && !loopback(a));
  const openBind = bind !== undefined && (bind.trim() === '' || exposed.length > 0);
  const remote = !isLoopback(facts.host) && facts.provider !== 'local';
  const problems: string[] = [];
  if (openBind && facts.config.values['protected-mode'] === 'no')
    problems.push(`protected-mode is off and the server listens on ${exposed.join(', ') || 'every address'}`);
  if (!facts.tls && (remote || openBind))
    problems.push(
      `plaintext on a non-loopback address (${remote ? facts.host : exposed.join(', ') || 'every address'}): passwords and data cross the network unencrypted`,
    );
  if (problems.length === 0)
    return pass(
      id,
      facts.tls
        ? 'TLS in use'
        : bind === undefined
          ? 'plaintext to a local address'
          : `listens on ${bind} only`,
    );
  return warn(
    id,
    problems.join('; '),
    'bind to loopback or a private network, keep protected-mode yes, and use TLS (tls-port) beyond the host',
  );
}

/** What the app's user may do that an app never needs; DEBUG and MODULE enabled. */
export function checkCommands(facts: Facts): CheckResult {
  const id = 'sec.commands';
  const found: string[] = [];
  const user = facts.username;
  const dangerous = facts.dangerous;
  if (dangerous?.length)
    found.push(
      `user ${user} may run ${dangerous.join(', ')} (@dangerous/@admin): a bug or a stolen password can wipe or reconfigure the server`,
    );
  for (const [name, label] of [
    ['enable-debug-command', 'DEBUG'],
    ['enable-module-command', 'MODULE'],
  ] as const) {
    const v = facts.config.values[name];
    if (v === 'yes') found.push(`${label} is enabled for every client (${name} yes)`);
  }
  if (found.length === 0)
    return dangerous === null
      ? skip(
          id,
          `could not check the user's permissions (ACL DRYRUN not allowed): ${facts.config.unavailable ?? 'no answer'}`,
        )
      : pass(
          id,
          `user ${user} may not run FLUSHALL, CONFIG SET, DEBUG or SHUTDOWN; DEBUG and MODULE are off`,
        );
  // The default user with every command on a local development server is how Redis ships.
  const local = facts.provider === 'local' && user === 'default' && found.length === 1 && dangerous?.length;
  if (local)
    return pass(id, `${found[0]} (fine for local development; use a restricted ACL user in production)`);
  return warn(
    id,
    found.join('; '),
    `give the app its own user without them: ACL SETUSER ${user === 'default' ? 'app' : user} -@dangerous -@admin +info; set enable-debug-command no and enable-module-command no`,
  );
}
