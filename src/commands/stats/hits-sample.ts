import type { Redis } from 'ioredis';
import type { OneReply as Reply } from '../../redis/resp-one.js';
import type { RespPipe } from '../../redis/resp-pipe.js';
import { NodeSampler, type InfoPoint } from './hits-node.js';
import { HitsTally, type GroupOptions, type NamespaceHits, type TtlCheck } from './hits-tally.js';

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
  /** A stream never reached a window's closing marker: the window's end is missing some commands. */
  incomplete: boolean;
}

/** PTTL of the written keys the window left undecided, pipelined per node and db. Returns our own lookups. */
interface OwnLookups {
  hits: number;
  misses: number;
}

/** One pipelined batch on one db: SELECT then a command per key. */
async function perKey(pipe: RespPipe, db: number, cmd: string[], keys: Buffer[]): Promise<Reply[]> {
  const replies = await pipe.send([['SELECT', db], ...keys.map((k) => [...cmd, k])]);
  return replies.slice(1);
}

/**
 * PTTL of the written keys the window left undecided, pipelined per node and db. OBJECT
 * ENCODING first: it sends no keymiss event for a key that is gone (PTTL would, and the next
 * window would count our lookup as an app's miss). Returns the lookups we caused (INFO counts them).
 */
async function checkTtls(tally: HitsTally, samplers: NodeSampler[]): Promise<OwnLookups[]> {
  const own: OwnLookups[] = samplers.map(() => ({ hits: 0, misses: 0 }));
  const groups = new Map<string, TtlCheck[]>();
  for (const c of tally.pendingTtlChecks()) {
    const id = `${c.node}:${c.db}`;
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  await Promise.all(
    [...groups.values()].map(async (list) => {
      const { node, db } = list[0] as TtlCheck;
      const pipe = (samplers[node] as NodeSampler).sidePipe();
      const o = own[node] as OwnLookups;
      for (let i = 0; i < list.length; i += 1000) {
        const batch = list.slice(i, i + 1000);
        const enc = await perKey(
          pipe,
          db,
          ['OBJECT', 'ENCODING'],
          batch.map((c) => c.key),
        );
        const live = batch.filter((c, j) => !(enc[j] instanceof Error) && enc[j] !== null);
        o.misses += batch.length - live.length;
        const alive = new Set(live);
        for (const c of batch) if (!alive.has(c)) tally.resolveTtl(c.id, -2);
        if (live.length === 0) continue;
        const ttls = await perKey(
          pipe,
          db,
          ['PTTL'],
          live.map((c) => c.key),
        );
        o.hits += live.length * 2;
        live.forEach((c, j) => {
          const r = ttls[j];
          tally.resolveTtl(c.id, typeof r === 'number' ? r : -2);
        });
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

/** The end of a window waits for both streams to pass its marker while they make progress; this long without a byte ends the wait. */
const cutStallMs = 2000;

export async function sampleHits(primaries: Redis[], opts: SampleOptions): Promise<SampleResult> {
  // One tally per window; window k is everything between a node's marker k and k + 1.
  const tallies = new Map<number, HitsTally>();
  const tallyFor = (epoch: number): HitsTally => {
    let t = tallies.get(epoch);
    if (!t) {
      t = new HitsTally(opts.group);
      tallies.set(epoch, t);
    }
    return t;
  };
  let window = 1;
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
          onCommand: (e, epoch) => {
            // Before the first marker, or past the last window: not in any window.
            if (epoch < 1 || epoch > window) return;
            // --max-ops: exactly n commands, even while the closing marker is on its way.
            if (opts.maxOps !== undefined && total >= opts.maxOps) {
              truncated = true;
              return;
            }
            tallyFor(epoch).addCommand(i, e, (samplers[i] as NodeSampler).table);
            total++;
            if (opts.maxOps !== undefined && total >= opts.maxOps) requestStop('max-ops');
          },
          onMiss: (db, key, epoch) => {
            if (epoch >= 1 && epoch <= window) tallyFor(epoch).addMiss(i, db, key);
          },
          onStop: (message, error) => requestStop(error ? 'error' : 'buffer', message),
        },
      ),
  );
  const onAbort = (): void => requestStop('interrupted');
  opts.signal.addEventListener('abort', onAbort);
  const cutAll = (): Promise<InfoPoint[]> => Promise.all(samplers.map((s) => s.cut()));
  let incomplete = false;
  // Lines left out after --max-ops: their keymiss events must go too.
  let truncated = false;
  const passedAll = async (n: number): Promise<void> => {
    const ok = await Promise.all(samplers.map((s) => s.passed(n, cutStallMs)));
    if (ok.includes(false)) incomplete = true;
  };
  try {
    await Promise.all(samplers.map((s) => s.prepare()));
    if (opts.keymiss) await Promise.all(samplers.map((s) => s.startKeymiss()));
    await Promise.all(samplers.map((s) => s.startMonitor()));
    let before = await cutAll();
    const started = Date.now();
    let windowStart = started;
    let ownLookups: OwnLookups[] = samplers.map(() => ({ hits: 0, misses: 0 }));
    let ownBase = samplers.map((s) => s.ownCommands);
    const ownSince = (): number => samplers.reduce((a, s, i) => a + s.ownCommands - (ownBase[i] ?? 0), 0);
    // The marker that closes a window is a miss on each node (the one that opened it ran before INFO).
    const ownOf = (o: OwnLookups[]): { hits: number; misses: number } =>
      o.reduce((a, x) => ({ hits: a.hits + x.hits, misses: a.misses + x.misses }), {
        hits: 0,
        misses: samplers.length,
      });
    const deadline = started + opts.durationMs;
    for (;;) {
      const until = opts.intervalMs ? Math.min(deadline, windowStart + opts.intervalMs) : deadline;
      if (!stop)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      // The wait that was meant to end at the deadline is the last, even when the timer fired a
      // millisecond early by Date.now() (seen on a loaded machine: one extra window was printed).
      if (until >= deadline || Date.now() >= deadline) stop ??= { reason: 'duration' };
      const last = stop !== undefined;
      // Accept the next window's events before its marker can arrive.
      if (!last) window++;
      const after = await cutAll();
      const now = Date.now();
      const owned = ownSince();
      ownBase = samplers.map((s) => s.ownCommands);
      await passedAll(last ? window + 1 : window);
      const done = tallyFor(last ? window : window - 1);
      done.settle(
        !incomplete && !truncated && samplers.every((s) => s.monitorEpoch >= (last ? window + 1 : window)),
      );
      if (last) {
        await Promise.all(samplers.map((s) => s.stopMonitor()));
        for (const s of samplers) s.stopKeymiss();
      }
      // Our PTTLs count as lookups on the server (and their misses as keymiss events): leave them out.
      const checked = await checkTtls(done, samplers);
      const result = figures(done, now - windowStart, before, after, owned, ownOf(ownLookups));
      if (last) {
        return {
          ...result,
          stop: stop ?? { reason: 'duration' },
          nodes: primaries.length,
          peakBufferBytes: Math.max(0, ...samplers.map((s) => s.peakBufferBytes)),
          bufferUnwatched: samplers.find((s) => s.bufferUnwatched)?.bufferUnwatched,
          incomplete,
        };
      }
      opts.onWindow?.(result);
      tallies.delete(window - 1);
      ownLookups = checked;
      before = after;
      windowStart = now;
    }
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    for (const s of samplers) s.close();
  }
}
