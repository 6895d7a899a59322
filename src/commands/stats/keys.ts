import type { Redis } from 'ioredis';
import { CliError, ExitCode } from '../../errors.js';
import { patternBytes } from '../../redis/byte-args.js';
import { compileGlob } from '../../redis/glob.js';
import { errorText, explainError } from '../../redis/hints.js';
import { compareVersions, detectServer, parseInfo } from '../../redis/info.js';
import {
  insideSegment,
  segmentCount,
  segmentsOf,
  walkSegments,
  type Segment,
} from '../../redis/cursor-segments.js';
import { runKeyScript } from '../../redis/key-script.js';
import { sizeKeys } from '../../redis/key-sizes.js';
import { RespServerError } from '../../redis/resp-decode.js';
import { RespPipe } from '../../redis/resp-pipe.js';
import { defaultScanCount, scanNode } from '../../redis/scan.js';
import { redact } from '../../redis/secrets.js';
import { withTimeout } from '../../redis/timeout.js';
import { mergeNamespaces, NamespaceTally, rankNamespaces, type OtherPrefixes } from './namespaces.js';
import { nodeAddress } from './snapshot.js';
import type { KeysOptions, KeysResult, NodeFailure } from './types.js';

/** Sizing batches in flight per node: enough to keep the server busy while we parse. */
const inFlight = 4;

/**
 * Server time one stats script call may take (key-script.ts): a concurrent client waits at
 * most about this per call in flight (README, Benchmarks).
 */
const keyScriptBudgetUs = 2000;
/**
 * SCAN COUNT inside it: a call checks its budget after each SCAN and its keys' reads, and 1,000
 * keys read take 3-5 ms, more than the budget; 250 keep a call near it at no cost in speed
 * (measured on 1M keys, `npm run bench keys`).
 */
const keyScriptScanCount = 250;

interface NodeScan {
  tally: NamespaceTally;
  scale: number;
  memoryKnown: boolean;
}

/**
 * OBJECT FREQ answers only under an LFU policy (else "An LFU maxmemory policy is not selected"):
 * check every primary's INFO memory first, so --hot fails before any scanning, with the fix.
 */
export async function checkLfu(primaries: Redis[], timeoutMs: number): Promise<void> {
  for (const node of primaries) {
    const info = parseInfo(
      await withTimeout(node.info('memory'), timeoutMs, `INFO memory on ${nodeAddress(node)}`),
    );
    const policy = info.maxmemory_policy ?? 'unknown';
    if (!policy.endsWith('-lfu'))
      throw new CliError(
        `--hot needs an LFU maxmemory-policy: ${nodeAddress(node)} uses ${policy}, so OBJECT FREQ has no access counts`,
        'set maxmemory-policy allkeys-lfu (or volatile-lfu) where eviction by use fits, or see the keys read most with redis-ops stats --hits',
        ExitCode.usage,
      );
  }
}

/** CLIENT NO-TOUCH: Redis 7.2+, and Valkey (forked from 7.2.4). */
async function hasNoTouch(node: Redis, timeoutMs: number): Promise<boolean> {
  const facts = detectServer(parseInfo(await withTimeout(node.info('server'), timeoutMs, 'INFO server')));
  return (
    facts.engine === 'valkey' || (facts.engine === 'redis' && compareVersions(facts.version, '7.2.0') >= 0)
  );
}

export async function scanNamespaces(primaries: Redis[], opts: KeysOptions): Promise<KeysResult> {
  if (opts.hot) await checkLfu(primaries, opts.timeoutMs);
  let scanned = 0;
  const bump = (n: number): void => {
    scanned += n;
    opts.onProgress?.(scanned);
  };
  // DBSIZE first when sampling, so the sample is split across nodes by their share of keys.
  let limits: Array<number | undefined> = primaries.map(() => undefined);
  let sizes: number[] = [];
  if (opts.sample !== undefined) {
    sizes = await Promise.all(
      primaries.map((n) => withTimeout(n.dbsize(), opts.timeoutMs, `DBSIZE on ${nodeAddress(n)}`)),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    limits = sizes.map((s) => (total === 0 ? 0 : Math.ceil(((opts.sample as number) * s) / total)));
  }
  const settled = await Promise.allSettled(
    primaries.map((node, i) => scanOne(node, opts, limits[i], sizes[i], bump)),
  );
  const done: NodeScan[] = [];
  const failed: NodeFailure[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') done.push(s.value);
    else failed.push({ address: nodeAddress(primaries[i] as Redis), error: redact(errorText(s.reason)) });
  });
  const first = settled.find((s) => s.status === 'rejected');
  if (done.length === 0 && first) {
    // No node answered: there are no figures to show, only the reason (one line, exit 2).
    throw new CliError(
      `cannot scan ${failed[0]?.address ?? 'the server'}: ${failed[0]?.error ?? ''}`,
      explainError(first.reason).hint,
      ExitCode.usage,
    );
  }
  const all = rankNamespaces(mergeNamespaces(done.map((d) => d.tally.namespaces(d.scale))));
  let other: OtherPrefixes | null = null;
  for (const d of done) {
    const o = d.tally.other;
    if (!o) continue;
    const r = (x: number): number => Math.round(x * d.scale);
    other ??= { prefixes: 0, keys: 0, bytes: 0, noTtlKeys: 0 };
    other.prefixes += o.prefixes;
    other.keys += r(o.keys);
    other.bytes += r(o.bytes);
    other.noTtlKeys += r(o.noTtlKeys);
  }
  const biggest = done
    .flatMap((d) => d.tally.biggest())
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, opts.top);
  const mostElements = done
    .flatMap((d) => d.tally.mostElements())
    .sort((a, b) => (b.elements ?? 0) - (a.elements ?? 0))
    .slice(0, opts.top);
  const hot = opts.hot
    ? done
        .flatMap((d) => d.tally.hot())
        .sort((a, b) => b.freq - a.freq)
        .slice(0, opts.top)
    : null;
  return {
    scanned: done.reduce((s, d) => s + d.tally.visited, 0),
    estimated: done.some((d) => d.scale !== 1),
    memoryKnown: done.every((d) => d.memoryKnown),
    namespaces: all.slice(0, opts.top),
    totalNamespaces: all.length + (other?.prefixes ?? 0),
    approximate: other !== null,
    ownLookups: {
      hits: done.reduce((s, d) => s + d.tally.lookupHits, 0),
      misses: done.reduce((s, d) => s + d.tally.lookupMisses, 0),
    },
    other,
    biggest,
    mostElements,
    hot,
    failed,
  };
}

async function scanOne(
  node: Redis,
  opts: KeysOptions,
  limit: number | undefined,
  dbsize: number | undefined,
  bump: (n: number) => void,
): Promise<NodeScan> {
  const tally = new NamespaceTally(Buffer.from(opts.delimiter, 'utf8'), opts.depth, opts.top);
  if (limit === 0) return { tally, scale: 1, memoryKnown: true };
  // Two raw connections: one for the SCAN chain, one for the sizing batches (see resp-pipe.ts).
  const [scanPipe, sizePipe] = await Promise.all([
    RespPipe.openLike(node, opts.timeoutMs),
    RespPipe.openLike(node, opts.timeoutMs),
  ]);
  try {
    // The element counts (HLEN, LLEN, ...) would refresh each collection's LRU/LFU clock, and so
    // change what eviction picks next (TYPE, PTTL, OBJECT and MEMORY USAGE do not touch). 7.2+
    // can switch touching off for our connection. Only asked where it exists: an older server
    // would count the unknown subcommand in the errorstats that `--section errors` reports.
    if (await hasNoTouch(node, opts.timeoutMs)) await sizePipe.send([['CLIENT', 'NO-TOUCH', 'ON']]);
    const pattern = opts.match === undefined ? undefined : patternBytes(opts.match);
    // The one byte-level matcher, read as the server reads it (glob.ts): the sample filtered
    // here agrees with what MATCH returns without --sample.
    const matches = pattern ? compileGlob(pattern) : undefined;
    // Sampling must see every key SCAN visits to scale by DBSIZE, so it filters here instead.
    const serverMatch = limit === undefined ? pattern : undefined;
    const state = { withMemory: true, memoryKnown: true };
    let rest: Array<{ cursor?: string; segment?: Segment }> = [{}];
    if (opts.script && limit === undefined)
      rest = await viaScript(sizePipe, tally, opts, serverMatch, state, bump);
    for (const part of rest) {
      if (limit !== undefined && tally.visited >= limit) break;
      await sizeWalk(
        scanPipe,
        sizePipe,
        tally,
        opts,
        { ...part, match: serverMatch },
        limit,
        matches,
        state,
        bump,
      );
    }
    const scale =
      limit !== undefined && dbsize !== undefined && tally.visited > 0 && tally.visited < dbsize
        ? dbsize / tally.visited
        : 1;
    return { tally, scale, memoryKnown: state.memoryKnown };
  } finally {
    scanPipe.close();
    sizePipe.close();
  }
}

interface SizeState {
  withMemory: boolean;
  memoryKnown: boolean;
}

/**
 * The reads inside the server (key-script.ts), two calls in flight on the cursor segments (on
 * Redis itself four: the server goes from one call to the next without waiting for us). Returns what
 * is left for the pipelined reads: nothing when the walk is complete, else each unfinished
 * segment from where it stopped (EVAL refused or failed: nothing of that call was counted).
 */
async function viaScript(
  pipe: RespPipe,
  tally: NamespaceTally,
  opts: KeysOptions,
  match: Buffer | undefined,
  state: SizeState,
  bump: (n: number) => void,
): Promise<Array<{ cursor: string; segment?: Segment }>> {
  const segments = segmentsOf(await segmentCount(pipe));
  const cursors: Array<string | null> = segments.map((s) => s.start);
  let on = true;
  let counted = false;
  const delimiter = Buffer.from(opts.delimiter, 'utf8');
  await walkSegments(segments, async (segment, i) => {
    while (on && opts.signal?.aborted !== true) {
      let step;
      try {
        step = await runKeyScript(pipe, {
          cursor: cursors[i] as string,
          match,
          count: keyScriptScanCount,
          budgetUs: keyScriptBudgetUs,
          delimiter,
          depth: opts.depth,
          top: opts.top,
          withMemory: state.withMemory,
          hot: opts.hot === true,
          segment,
        });
      } catch (err) {
        if (!(err instanceof RespServerError)) throw err;
        on = false;
        return;
      }
      if (step.memoryBlocked) {
        state.withMemory = false;
        state.memoryKnown = false;
      }
      counted = true;
      tally.visited += step.visited;
      tally.addSummary(step);
      bump(step.visited);
      if (!insideSegment(step.cursor, segment)) {
        cursors[i] = null;
        return;
      }
      cursors[i] = step.cursor;
    }
  });
  if (opts.signal?.aborted === true) return [];
  // Refused at the first call (EVAL denied): one plain walk, as if there were no script.
  if (!counted) return [{ cursor: '0' }];
  return segments.flatMap((segment, i) => {
    const cursor = cursors[i];
    return typeof cursor === 'string' ? [{ cursor, segment }] : [];
  });
}

/** The pipelined reads (key-sizes.ts) over a walk, or the part of one a segment leaves. */
async function sizeWalk(
  scanPipe: RespPipe,
  sizePipe: RespPipe,
  tally: NamespaceTally,
  opts: KeysOptions,
  walk: { cursor?: string; segment?: Segment; match?: Buffer },
  limit: number | undefined,
  matches: ((key: Buffer) => boolean) | undefined,
  state: SizeState,
  bump: (n: number) => void,
): Promise<void> {
  const pending: Array<Promise<void>> = [];
  for await (let batch of scanNode(scanPipe, {
    match: walk.match,
    count: defaultScanCount,
    signal: opts.signal,
    cursor: walk.cursor,
    segment: walk.segment,
  })) {
    if (limit !== undefined) {
      if (tally.visited + batch.length > limit) batch = batch.slice(0, limit - tally.visited);
      tally.visited += batch.length;
      if (matches) batch = batch.filter(matches);
    } else {
      tally.visited += batch.length;
    }
    const keys = batch;
    const sized = sizeKeys(sizePipe, keys, {
      withMemory: state.withMemory,
      hot: opts.hot,
      elements: true,
    }).then((sizes) => {
      if (sizes.memoryBlocked) {
        // MEMORY USAGE refused (ACL, provider): counts still come, memory is unknown.
        state.withMemory = false;
        state.memoryKnown = false;
      }
      if (!state.withMemory) sizes.bytes.fill(null);
      tally.add(keys, sizes);
      bump(keys.length);
    });
    // Awaited in order below; the catch only keeps an early failure from being 'unhandled'.
    sized.catch(() => undefined);
    pending.push(sized);
    if (pending.length >= inFlight) await pending.shift();
    if (limit !== undefined && tally.visited >= limit) break;
  }
  await Promise.all(pending);
}
