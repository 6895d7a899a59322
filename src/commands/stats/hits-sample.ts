import type { Redis } from 'ioredis';
import { infoNumber, parseInfo } from '../../redis/info.js';
import type { Arg } from '../../redis/resp-pipe.js';
import { withTimeout } from '../../redis/timeout.js';
import { NodeSampler } from './hits-node.js';
import { HitsTally, type GroupOptions, type NamespaceHits } from './hits-tally.js';

/**
 * The sample itself: MONITOR + keymiss on every primary feeding one tally, INFO stats read at
 * the window's edges, a PTTL follow-up for written keys whose TTL the window did not show.
 * With an interval, one window per interval (each reported, counters reset).
 */
export type StopReason = 'duration' | 'max-ops' | 'buffer' | 'interrupted' | 'error';

export interface SampleOptions {
  group: GroupOptions;
  durationMs: number;
  maxOps?: number;
  maxBufferBytes: number;
  keymiss: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  intervalMs?: number;
  onWindow?: (w: WindowResult) => void;
  pauseReader?: boolean;
}

export interface WindowResult {
  durationMs: number;
  commandsSeen: number;
  commandsWithoutKeys: number;
  unknownCommands: number;
  /** Key lookups the sample saw (read-only key specs) and the servers counted (INFO hits + misses). */
  lookupsSeen: number;
  serverLookups: number;
  serverCommands: number;
  /** Share of the servers' key lookups (or commands, when there were none) the sample saw. */
  coverage: number | null;
  globalHitRatio: number | null;
  namespaces: NamespaceHits[];
  untrackedWrites: number;
}

export interface SampleResult extends WindowResult {
  stop: { reason: StopReason; message?: string };
  nodes: number;
  peakBufferBytes: number;
  bufferUnwatched?: string;
}

interface InfoPoint {
  hits: number;
  misses: number;
  commands: number;
}

async function readInfoPoint(node: Redis, ms: number): Promise<InfoPoint> {
  const info = parseInfo(await withTimeout(node.info('stats'), ms, 'INFO stats'));
  return {
    hits: infoNumber(info, 'keyspace_hits') ?? 0,
    misses: infoNumber(info, 'keyspace_misses') ?? 0,
    commands: infoNumber(info, 'total_commands_processed') ?? 0,
  };
}

/** PTTL of the written keys the window left undecided, pipelined per node and db. Returns our own lookups. */
interface OwnLookups {
  hits: number;
  misses: number;
  missed: Array<{ db: number; key: Buffer }>;
}

async function checkTtls(tally: HitsTally, samplers: NodeSampler[]): Promise<OwnLookups[]> {
  const own: OwnLookups[] = samplers.map(() => ({ hits: 0, misses: 0, missed: [] }));
  const checks = tally.pendingTtlChecks();
  const byNode = new Map<number, typeof checks>();
  for (const c of checks) byNode.set(c.node, [...(byNode.get(c.node) ?? []), c]);
  await Promise.all(
    [...byNode].map(async ([n, list]) => {
      const pipe = (samplers[n] as NodeSampler).sidePipe();
      for (let i = 0; i < list.length; i += 1000) {
        const batch = list.slice(i, i + 1000);
        const cmds: Arg[][] = [];
        let db = -1;
        const slots: number[] = [];
        for (const c of batch) {
          if (c.db !== db) {
            cmds.push(['SELECT', c.db]);
            slots.push(-1);
            db = c.db;
          }
          slots.push(cmds.length);
          cmds.push(['PTTL', c.key]);
        }
        const replies = await pipe.send(cmds);
        let k = 0;
        for (const at of slots) {
          if (at < 0) continue;
          const r = replies[at];
          const check = batch[k++];
          if (!check || typeof r !== 'number') continue;
          tally.resolveTtl(check.id, r);
          const o = own[n] as OwnLookups;
          if (r === -2) {
            o.misses++;
            o.missed.push({ db: check.db, key: check.key });
          } else o.hits++;
        }
      }
    }),
  );
  return own;
}

function figures(
  tally: HitsTally,
  durationMs: number,
  before: InfoPoint[],
  after: InfoPoint[],
  ownCommands: number,
  ownLookups: { hits: number; misses: number },
): WindowResult {
  let hits = 0;
  let misses = 0;
  let commands = 0;
  after.forEach((a, i) => {
    const b = before[i] ?? a;
    hits += Math.max(0, a.hits - b.hits);
    misses += Math.max(0, a.misses - b.misses);
    commands += Math.max(0, a.commands - b.commands);
  });
  hits = Math.max(0, hits - ownLookups.hits);
  misses = Math.max(0, misses - ownLookups.misses);
  commands = Math.max(0, commands - ownCommands);
  const serverLookups = hits + misses;
  const coverage =
    serverLookups > 0
      ? Math.min(1, tally.lookupsSeen / serverLookups)
      : commands > 0
        ? Math.min(1, tally.commands / commands)
        : null;
  const namespaces = tally.namespaces().sort((a, b) => b.misses - a.misses || b.reads - a.reads);
  return {
    durationMs,
    commandsSeen: tally.commands,
    commandsWithoutKeys: tally.commandsWithoutKeys,
    unknownCommands: tally.unknownCommands,
    lookupsSeen: tally.lookupsSeen,
    serverLookups,
    serverCommands: commands,
    coverage,
    globalHitRatio: serverLookups > 0 ? hits / serverLookups : null,
    namespaces,
    untrackedWrites: tally.untrackedWrites,
  };
}

export async function sampleHits(primaries: Redis[], opts: SampleOptions): Promise<SampleResult> {
  let tally = new HitsTally(opts.group);
  let stop: SampleResult['stop'] | undefined;
  let total = 0;
  let wake: () => void = () => undefined;
  const requestStop = (reason: StopReason, message?: string): void => {
    stop ??= { reason, message };
    wake();
  };
  const samplers: NodeSampler[] = primaries.map(
    (node, i) =>
      new NodeSampler(
        node,
        {
          keymiss: opts.keymiss,
          maxBufferBytes: opts.maxBufferBytes,
          timeoutMs: opts.timeoutMs,
          pauseReader: opts.pauseReader,
        },
        {
          onCommand: (e) => {
            tally.addCommand(i, e, (samplers[i] as NodeSampler).table);
            total++;
            if (opts.maxOps !== undefined && total >= opts.maxOps) requestStop('max-ops');
          },
          onMiss: (db, key) => tally.addMiss(i, db, key),
          onStop: (message, error) => requestStop(error ? 'error' : 'buffer', message),
        },
      ),
  );
  const onAbort = (): void => requestStop('interrupted');
  opts.signal.addEventListener('abort', onAbort);
  try {
    await Promise.all(samplers.map((s) => s.prepare()));
    if (opts.keymiss) await Promise.all(samplers.map((s) => s.startKeymiss()));
    await Promise.all(samplers.map((s) => s.startMonitor()));
    const started = Date.now();
    let windowStart = started;
    let before = await Promise.all(primaries.map((n) => readInfoPoint(n, opts.timeoutMs)));
    let ownLookups: OwnLookups[] = samplers.map(() => ({ hits: 0, misses: 0, missed: [] }));
    let ownBase = samplers.map((s) => s.ownCommands);
    const ownSince = (): number => samplers.reduce((a, s, i) => a + s.ownCommands - (ownBase[i] ?? 0), 0) + 1;
    const sumOwn = (o: typeof ownLookups): { hits: number; misses: number } =>
      o.reduce((a, x) => ({ hits: a.hits + x.hits, misses: a.misses + x.misses }), { hits: 0, misses: 0 });
    const deadline = started + opts.durationMs;
    while (!stop) {
      const until = opts.intervalMs ? Math.min(deadline, windowStart + opts.intervalMs) : deadline;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (Date.now() >= deadline) stop ??= { reason: 'duration' };
      if (stop || !opts.intervalMs) break;
      // One window done, the sample goes on: report it with fresh counters behind it.
      const after = await Promise.all(primaries.map((n) => readInfoPoint(n, opts.timeoutMs)));
      const done = tally;
      tally = new HitsTally(opts.group);
      const now = Date.now();
      const owned = ownSince();
      ownBase = samplers.map((s) => s.ownCommands);
      // Our PTTLs count as lookups on the server (and their misses as keymiss events): leave them out.
      const checked = await checkTtls(done, samplers);
      opts.onWindow?.(figures(done, now - windowStart, before, after, owned, sumOwn(ownLookups)));
      ownLookups = checked;
      checked.forEach((c, n) => c.missed.forEach((m) => tally.expectOwnMiss(n, m.db, m.key)));
      before = after;
      windowStart = now;
    }
    const after = await Promise.all(primaries.map((n) => readInfoPoint(n, opts.timeoutMs)));
    const end = Date.now();
    const owned = ownSince();
    await Promise.all(samplers.map((s) => s.stopMonitor()));
    // Keymiss events of the last reads are published before MONITOR's lines: a short grace is plenty.
    await new Promise((r) => setTimeout(r, 100));
    for (const s of samplers) s.stopKeymiss();
    await checkTtls(tally, samplers);
    const result = figures(tally, end - windowStart, before, after, owned, sumOwn(ownLookups));
    if (opts.intervalMs) opts.onWindow?.(result);
    return {
      ...result,
      durationMs: end - started,
      stop: stop ?? { reason: 'duration' },
      nodes: primaries.length,
      peakBufferBytes: Math.max(0, ...samplers.map((s) => s.peakBufferBytes)),
      bufferUnwatched: samplers.find((s) => s.bufferUnwatched)?.bufferUnwatched,
    };
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    for (const s of samplers) s.close();
  }
}
