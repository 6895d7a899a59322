import type { Redis } from 'ioredis';
import { errorText } from '../../redis/hints.js';
import {
  infoNumber,
  parseClientList,
  parseCommandStats,
  parseErrorStats,
  parseInfo,
  parseLatencyStats,
  type InfoRecord,
} from '../../redis/info.js';
import { redact } from '../../redis/secrets.js';
import { withTimeout } from '../../redis/timeout.js';
import { nodeAddress } from './snapshot.js';
import type {
  ClientBufferJson,
  ClientsSectionJson,
  CommandStatJson,
  ErrorsSectionJson,
  NodeFailure,
  SectionsNodeJson,
  StatsSection,
  StatsSectionsJson,
} from './types.js';

/**
 * `stats --section`: what INFO already holds beyond the snapshot, per primary and summed. Sent:
 * INFO commandstats + INFO latencystats (commands), INFO errorstats + INFO commandstats (errors),
 * INFO clients + CLIENT ID + CLIENT LIST (clients; only up to `maxListedClients`). One INFO per
 * section keeps servers before 7.0 happy (they take one section name per INFO).
 */

/** CLIENT LIST is O(clients) on the server and about 300 bytes per client: list only up to this. */
export const maxListedClients = 5000;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** commandstats + latencystats → rows by total time, most first. Pure. */
export function commandRows(stats: InfoRecord, latency: InfoRecord): CommandStatJson[] {
  const percentiles = parseLatencyStats(latency);
  return parseCommandStats(stats)
    .map((c) => ({
      command: c.command,
      calls: c.calls,
      usec: c.usec,
      usecPerCall: c.calls > 0 ? round2(c.usec / c.calls) : 0,
      rejectedCalls: c.rejectedCalls,
      failedCalls: c.failedCalls,
      latencyUsec: percentiles.get(c.command) ?? null,
    }))
    .sort((a, b) => b.usec - a.usec || b.calls - a.calls || a.command.localeCompare(b.command));
}

/** errorstats (+ commandstats for the commands that failed). Pure. */
export function errorsSection(errorstats: InfoRecord, stats: InfoRecord, raw: string): ErrorsSectionJson {
  const byType = Object.entries(parseErrorStats(errorstats))
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  const byCommand = parseCommandStats(stats)
    .map((c) => ({
      command: c.command,
      failedCalls: c.failedCalls ?? 0,
      rejectedCalls: c.rejectedCalls ?? 0,
    }))
    .filter((c) => c.failedCalls + c.rejectedCalls > 0)
    .sort((a, b) => b.failedCalls + b.rejectedCalls - (a.failedCalls + a.rejectedCalls));
  // A server without errors still prints the `# Errorstats` header; one without the section does not.
  return { reported: /^# ?Errorstats/im.test(raw), byType, byCommand };
}

const num = (r: Record<string, string>, k: string): number => Number(r[k] ?? 0) || 0;

function clientRow(node: string, r: Record<string, string>): ClientBufferJson {
  return {
    node,
    id: r.id ?? '',
    addr: r.addr ?? '',
    name: r.name ?? '',
    cmd: r.cmd ?? '',
    flags: r.flags ?? '',
    ageSeconds: num(r, 'age'),
    idleSeconds: num(r, 'idle'),
    outputBytes: num(r, 'omem'),
    outputReplies: num(r, 'oll'),
    queryBytes: num(r, 'qbuf'),
    totalBytes: num(r, 'tot-mem'),
  };
}

const byBuffer = (a: ClientBufferJson, b: ClientBufferJson): number =>
  b.outputBytes - a.outputBytes || b.totalBytes - a.totalBytes || Number(a.id) - Number(b.id);

/** INFO clients + CLIENT LIST (or why it was not read) → the section. Pure. */
export function clientsSection(
  node: string,
  info: InfoRecord,
  list: { text: string; ownId: string } | { unlisted: string },
  top: number,
): ClientsSectionJson {
  const n = (k: string): number | null => infoNumber(info, k) ?? null;
  const base = {
    connected: n('connected_clients'),
    blocked: n('blocked_clients'),
    maxclients: n('maxclients'),
    recentMaxOutputBuffer: n('client_recent_max_output_buffer'),
    recentMaxInputBuffer: n('client_recent_max_input_buffer'),
  };
  if ('unlisted' in list)
    return { ...base, listed: false, unlisted: list.unlisted, subscribers: null, biggest: [] };
  const clients = parseClientList(list.text).filter((r) => r.id !== list.ownId);
  const subscribers = clients.filter((r) => num(r, 'sub') + num(r, 'psub') + num(r, 'ssub') > 0).length;
  const biggest = clients
    .map((r) => clientRow(node, r))
    .sort(byBuffer)
    .slice(0, top);
  return { ...base, listed: true, unlisted: null, subscribers, biggest };
}

async function readClients(
  node: Redis,
  info: InfoRecord,
  top: number,
  ms: number,
): Promise<ClientsSectionJson> {
  const address = nodeAddress(node);
  const connected = infoNumber(info, 'connected_clients') ?? 0;
  if (connected > maxListedClients)
    return clientsSection(
      address,
      info,
      { unlisted: `${connected} clients, over the ${maxListedClients} that CLIENT LIST is read for` },
      top,
    );
  try {
    const ownId = String(await withTimeout(node.call('CLIENT', 'ID'), ms, 'CLIENT ID'));
    const text = String(await withTimeout(node.call('CLIENT', 'LIST'), ms, 'CLIENT LIST'));
    return clientsSection(address, info, { text, ownId }, top);
  } catch (err) {
    // CLIENT is blocked on some providers (and by ACLs): the INFO figures still stand.
    return clientsSection(address, info, { unlisted: `CLIENT LIST refused: ${redact(errorText(err))}` }, top);
  }
}

async function readNodeSections(
  node: Redis,
  names: StatsSection[],
  top: number,
  ms: number,
): Promise<SectionsNodeJson> {
  const info = (section: string): Promise<string> =>
    withTimeout(node.info(section), ms, `INFO ${section} on ${nodeAddress(node)}`);
  const wants = (s: StatsSection): boolean => names.includes(s);
  const [stats, latency, errors, clients] = await Promise.all([
    wants('commands') || wants('errors') ? info('commandstats') : undefined,
    wants('commands') ? info('latencystats') : undefined,
    wants('errors') ? info('errorstats') : undefined,
    wants('clients') ? info('clients') : undefined,
  ]);
  const out: SectionsNodeJson = { address: nodeAddress(node) };
  if (stats !== undefined && wants('commands'))
    out.commands = commandRows(parseInfo(stats), parseInfo(latency ?? ''));
  if (errors !== undefined) out.errors = errorsSection(parseInfo(errors), parseInfo(stats ?? ''), errors);
  if (clients !== undefined) out.clients = await readClients(node, parseInfo(clients), top, ms);
  return out;
}

/** Sum a cluster's primaries: counts add up, percentiles take the worst node's. Pure. */
export function mergeCommands(lists: CommandStatJson[][]): CommandStatJson[] {
  const out = new Map<string, CommandStatJson>();
  const add = (a: number | null, b: number | null): number | null =>
    a === null && b === null ? null : (a ?? 0) + (b ?? 0);
  for (const list of lists)
    for (const c of list) {
      const cur = out.get(c.command);
      if (!cur) {
        out.set(c.command, { ...c, latencyUsec: c.latencyUsec ? { ...c.latencyUsec } : null });
        continue;
      }
      cur.calls += c.calls;
      cur.usec += c.usec;
      cur.usecPerCall = cur.calls > 0 ? round2(cur.usec / cur.calls) : 0;
      cur.rejectedCalls = add(cur.rejectedCalls, c.rejectedCalls);
      cur.failedCalls = add(cur.failedCalls, c.failedCalls);
      if (c.latencyUsec) {
        cur.latencyUsec ??= {};
        for (const [p, v] of Object.entries(c.latencyUsec))
          cur.latencyUsec[p] = Math.max(cur.latencyUsec[p] ?? 0, v);
      }
    }
  return [...out.values()].sort(
    (a, b) => b.usec - a.usec || b.calls - a.calls || a.command.localeCompare(b.command),
  );
}

export function mergeErrors(list: ErrorsSectionJson[]): ErrorsSectionJson {
  const types = new Map<string, number>();
  const commands = new Map<string, { failedCalls: number; rejectedCalls: number }>();
  for (const e of list) {
    for (const t of e.byType) types.set(t.type, (types.get(t.type) ?? 0) + t.count);
    for (const c of e.byCommand) {
      const cur = commands.get(c.command) ?? { failedCalls: 0, rejectedCalls: 0 };
      cur.failedCalls += c.failedCalls;
      cur.rejectedCalls += c.rejectedCalls;
      commands.set(c.command, cur);
    }
  }
  return {
    reported: list.length > 0 && list.every((e) => e.reported),
    byType: [...types]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    byCommand: [...commands]
      .map(([command, c]) => ({ command, ...c }))
      .sort((a, b) => b.failedCalls + b.rejectedCalls - (a.failedCalls + a.rejectedCalls)),
  };
}

export function mergeClients(list: ClientsSectionJson[], top: number): ClientsSectionJson {
  const sum = (f: (c: ClientsSectionJson) => number | null): number | null =>
    list.some((c) => f(c) !== null) ? list.reduce((s, c) => s + (f(c) ?? 0), 0) : null;
  const max = (f: (c: ClientsSectionJson) => number | null): number | null =>
    list.some((c) => f(c) !== null) ? Math.max(...list.map((c) => f(c) ?? 0)) : null;
  return {
    connected: sum((c) => c.connected),
    blocked: sum((c) => c.blocked),
    maxclients: sum((c) => c.maxclients),
    recentMaxOutputBuffer: max((c) => c.recentMaxOutputBuffer),
    recentMaxInputBuffer: max((c) => c.recentMaxInputBuffer),
    listed: list.length > 0 && list.every((c) => c.listed),
    unlisted: list.find((c) => c.unlisted !== null)?.unlisted ?? null,
    subscribers: list.every((c) => c.subscribers !== null) ? sum((c) => c.subscribers) : null,
    biggest: list
      .flatMap((c) => c.biggest)
      .sort(byBuffer)
      .slice(0, top),
  };
}

/** Read the sections on every primary in parallel; a node that fails is named, the rest count. */
export async function readSections(
  primaries: Redis[],
  names: StatsSection[],
  top: number,
  timeoutMs: number,
): Promise<{ sections: StatsSectionsJson; failed: NodeFailure[] }> {
  const settled = await Promise.allSettled(primaries.map((n) => readNodeSections(n, names, top, timeoutMs)));
  const nodes: SectionsNodeJson[] = [];
  const failed: NodeFailure[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') nodes.push(s.value);
    else failed.push({ address: nodeAddress(primaries[i] as Redis), error: redact(errorText(s.reason)) });
  });
  const sections: StatsSectionsJson = { names, nodes };
  const pick = <T>(f: (n: SectionsNodeJson) => T | undefined): T[] =>
    nodes.map(f).filter((x): x is T => x !== undefined);
  if (names.includes('commands')) sections.commands = mergeCommands(pick((n) => n.commands));
  if (names.includes('errors')) sections.errors = mergeErrors(pick((n) => n.errors));
  if (names.includes('clients'))
    sections.clients = mergeClients(
      pick((n) => n.clients),
      top,
    );
  return { sections, failed };
}
