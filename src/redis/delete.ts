import type { Redis } from 'ioredis';
import { readClusterMap } from './cluster-map.js';
import { KeyStore, packKeys, type KeyPack } from './key-store.js';
import { nodeAddress, PipePool } from './pipe-pool.js';
import { insideSegment, segmentCount, segmentsOf, walkSegments, type Segment } from './cursor-segments.js';
import { runDeleteScript } from './delete-script.js';
import { RespServerError } from './resp-decode.js';
import type { RespPipe } from './resp-pipe.js';
import { scanNode } from './scan.js';
import { defaultTimeoutMs } from './timeout.js';
import { createUnlinker, isUnlinkMissing } from './unlink.js';

/**
 * The deleting pass of `flush`, on every primary in parallel: UNLINK the names the counting
 * pass kept, then, if it could not keep them all (or keys may have been written since), SCAN
 * again and UNLINK as it goes (the next SCAN is in flight while a batch is deleted). Several
 * small UNLINK batches are in flight per node so the server never waits for the client and
 * never blocks for long.
 *
 * On a cluster the slots may move while we work (`redis-cli --cluster reshard`): the unlinker
 * follows MOVED and ASK (unlink.ts), and when the slot map changed or a key was redirected, a
 * SCAN node sees only its own keys, so one more pass goes over every primary of the new map,
 * until a pass ends on the map it started with and nothing had to be redirected.
 */
export interface DeleteOptions {
  cluster: boolean;
  /** For the SCAN passes (names not kept, final sweep, passes after a slot change). */
  patterns: Buffer[];
  count: number;
  type?: string;
  /** Keys per UNLINK (standalone) or per pipeline (cluster). */
  batchSize: number;
  /** Batches in flight per node. */
  inFlight: number;
  /** Keys per second over all nodes; undefined: as fast as the server goes. */
  rate?: number;
  /** SCAN every primary again after the kept names (keys written while a person was asked). */
  sweep?: boolean;
  /** The cluster's slot map when the run began (readClusterMap): a change since means a pass more. */
  mapAtStart?: string;
  signal?: AbortSignal;
  onDeleted?: (node: string, deleted: number) => void;
  /** Bound for each network step (connect, a reply). */
  timeoutMs?: number;
  /**
   * Streaming (nothing counted first): the first pass is the deletion itself, not a pass
   * "after the kept names", and each scanned batch goes through `screen` (the queue guard)
   * before it is deleted; what it leaves out is counted as kept.
   */
  stream?: boolean;
  screen?: (pipe: RespPipe, keys: Buffer[]) => Promise<Buffer[]>;
  /**
   * Scan and delete inside the server (delete-script.ts) on a standalone server without
   * --rate; per pattern, the 1-based position where the script's guard looks for bases (0:
   * none). Where EVAL is denied or fails, the same pass goes on with SCAN + UNLINK from us.
   */
  script?: { guardFrom: number[] };
  /** The queues the screen met (named in the result). */
  queuesMet?: () => string[];
  /** How many names to keep as a sample of what was deleted (streaming has no count to show one). */
  sampleSize?: number;
}

/**
 * Server time one script call may take: a concurrent client waits at most about this. Longer
 * calls mean fewer round trips, but on a loaded machine a call longer than a scheduler slice
 * is preempted inside the server (4 ms calls ran 2-3× their CPU time under load 15): 2 ms is
 * about two SCAN + UNLINK rounds of 1,000 keys (README, Benchmarks).
 */
export const scriptBudgetUs = 2000;

export interface DeleteResult {
  deleted: number;
  /** Keys deleted per node address (where the UNLINK that removed them ran). */
  byNode: Map<string, number>;
  /** SCAN passes over the primaries after the kept names (slot moves, sweep). */
  passes: number;
  /** The command that deleted: UNLINK, or DEL where UNLINK is missing or denied. */
  command: string;
  error: Error | null;
  /** Keys the screen left out (they lie in a queue), per node address. */
  keptByNode: Map<string, number>;
  /** The first names met by a SCAN pass (copies), up to sampleSize. */
  sample: Buffer[];
  /** The server-side script did the scanning and deleting (on at least one node). */
  scripted: boolean;
  /** BullMQ queues the screen met (kept, or deleted under --include-queues). */
  queues: string[];
}

/** Where the SCAN pass without the script goes on: a cursor, inside a segment when split. */
interface Unfinished {
  cursor: string;
  segment?: Segment;
}

/** A reshard that never settles must not keep us forever. */
const maxPasses = 50;

export async function deleteKeys(
  primaries: Redis[],
  stores: KeyStore[],
  opts: DeleteOptions,
): Promise<DeleteResult> {
  const failed = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, failed.signal]) : failed.signal;
  const pace = createPacer(opts.rate, signal);
  // With a rate, small chunks (a tenth of a second's worth) keep the pace smooth.
  const chunkSize = opts.rate
    ? Math.max(1, Math.min(opts.batchSize, Math.floor(opts.rate / 10)))
    : opts.batchSize;
  const inFlight = opts.rate ? 1 : opts.inFlight;
  const pool = new PipePool(primaries[0] as Redis, opts.timeoutMs ?? defaultTimeoutMs);
  const result: DeleteResult = {
    deleted: 0,
    byNode: new Map(),
    passes: 0,
    command: 'UNLINK',
    error: null,
    keptByNode: new Map(),
    sample: [],
    scripted: false,
    queues: [],
  };
  const sampleSize = opts.sampleSize ?? 0;
  const takeSample = (keys: Buffer[]): void => {
    for (let i = 0; i < keys.length && result.sample.length < sampleSize; i++)
      result.sample.push(Buffer.from(keys[i] as Buffer));
  };
  // Off for the rest of the run once EVAL is refused or fails; DEL once UNLINK is missing.
  let scriptOn = opts.script !== undefined && !opts.cluster && !opts.rate;
  let scriptCommand = 'UNLINK';
  const fail = (err: unknown): void => {
    result.error ??= err instanceof Error ? err : new Error(String(err));
    failed.abort(); // a node is gone: every node stops after its batches in flight
  };
  const counted = (address: string, n: number): void => {
    result.deleted += n;
    result.byNode.set(address, (result.byNode.get(address) ?? 0) + n);
    opts.onDeleted?.(address, n);
  };
  const unlinker = createUnlinker(pool, opts.cluster, counted);
  /** The guard's verdict on a batch: the keys to delete; the rest are counted as kept. */
  const screened = async (pipe: RespPipe, address: string, keys: Buffer[]): Promise<Buffer[]> => {
    if (!opts.screen || keys.length === 0) return keys;
    const clear = await opts.screen(pipe, keys);
    const kept = keys.length - clear.length;
    if (kept > 0) result.keptByNode.set(address, (result.keptByNode.get(address) ?? 0) + kept);
    return clear;
  };

  const onNode = async (address: string, store: KeyStore | undefined, rescan: boolean): Promise<void> => {
    const window = new Set<Promise<void>>();
    const send = async (keys: KeyPack): Promise<void> => {
      await pace(keys.lengths.length);
      if (signal.aborted) return;
      const p = unlinker.unlink(address, keys).catch(fail);
      window.add(p);
      void p.finally(() => window.delete(p));
      if (window.size >= inFlight) await Promise.race(window);
    };
    try {
      for (const keys of store?.packs(chunkSize) ?? []) {
        if (signal.aborted) break;
        await send(keys);
      }
      if (rescan) {
        const pipe = await pool.get(address);
        for (const [p, match] of opts.patterns.entries()) {
          if (signal.aborted) break;
          let rest: Unfinished[] = [{ cursor: '0' }];
          if (scriptOn) rest = await viaScript(pipe, address, match, opts.script?.guardFrom[p] ?? 0, send);
          for (const { cursor, segment } of rest)
            for await (const found of scanNode(pipe, {
              match,
              count: opts.count,
              type: opts.type,
              signal,
              cursor,
              segment,
            })) {
              takeSample(found);
              const batch = await screened(pipe, address, found);
              for (let i = 0; i < batch.length && !signal.aborted; i += chunkSize)
                await send(packKeys(batch.slice(i, i + chunkSize)));
              if (signal.aborted) break;
            }
        }
      }
    } catch (err) {
      fail(err);
    }
    await Promise.all(window);
  };

  try {
    const first = primaries.map(nodeAddress);
    await Promise.all(
      first.map((address, i) => {
        const store = stores[i];
        return onNode(address, store, opts.sweep === true || !(store?.complete ?? false));
      }),
    );
    if (!opts.stream && (opts.sweep || stores.some((s) => !s.complete))) result.passes = 1;
    if (opts.cluster) await settle(first);
  } finally {
    result.command = unlinker.command() === 'DEL' || scriptCommand === 'DEL' ? 'DEL' : 'UNLINK';
    result.queues = opts.queuesMet?.() ?? [];
    pool.closeAll();
  }
  return result;

  /**
   * One pattern on one node through the script, two calls in flight on segments of the walk
   * (cursor-segments.ts: on Redis itself four, so the server goes from one call to the next
   * without waiting for us). Returns what is left for the SCAN pass without the script: nothing
   * when the walk is complete, else each unfinished segment from where it stopped (EVAL
   * refused, or a command inside failed: that pass then names or gets past the failure).
   */
  async function viaScript(
    pipe: RespPipe,
    address: string,
    match: Buffer,
    guardFrom: number,
    send: (keys: KeyPack) => Promise<void>,
  ): Promise<Unfinished[]> {
    const segments = segmentsOf(await segmentCount(pipe));
    const cursors: Array<string | null> = segments.map((s) => s.start);
    const walk = async (segment: Segment, i: number): Promise<void> => {
      while (scriptOn && !signal.aborted) {
        let step;
        try {
          step = await runDeleteScript(pipe, {
            cursor: cursors[i] as string,
            match,
            count: opts.count,
            type: opts.type,
            guardFrom,
            budgetUs: scriptBudgetUs,
            sample: Math.max(0, sampleSize - result.sample.length),
            command: scriptCommand,
            segment,
          });
        } catch (err) {
          // EVAL unknown or denied, scripting disabled, SCAN TYPE unknown to an old server...:
          // the script raised before deleting anything (see delete-script.ts).
          if (!(err instanceof RespServerError)) throw err;
          scriptOn = false;
          return;
        }
        result.scripted = true;
        if (step.deleted > 0) counted(address, step.deleted);
        takeSample(step.sample);
        const held = await screened(pipe, address, step.held);
        for (let k = 0; k < held.length && !signal.aborted; k += chunkSize)
          await send(packKeys(held.slice(k, k + chunkSize)));
        cursors[i] = step.cursor;
        if (step.error) {
          // The cursor is that SCAN's own: its batch is scanned again, by DEL or without us.
          if (isUnlinkMissing(step.error) && scriptCommand === 'UNLINK') scriptCommand = 'DEL';
          else scriptOn = false;
          continue;
        }
        if (!insideSegment(step.cursor, segment)) {
          cursors[i] = null;
          return;
        }
      }
    };
    await walkSegments(segments, walk);
    if (signal.aborted) return [];
    // Refused at the first call (EVAL denied): one plain walk, as if there were no script.
    if (segments.every((s, i) => cursors[i] === s.start) && !result.scripted) return [{ cursor: '0' }];
    return segments.flatMap((segment, i) => {
      const cursor = cursors[i];
      return typeof cursor === 'string' ? [{ cursor, segment }] : [];
    });
  }

  /**
   * Passes over the current map until the cluster holds still under us: a pass is needed when
   * the map changed or a key was redirected; a pass that found nothing to delete and followed
   * no redirect ends it even while a reshard goes on (MIGRATE moves a key atomically, so a
   * key present somewhere was seen by the SCAN of the node that held it).
   */
  async function settle(addresses: string[]): Promise<void> {
    let before = opts.mapAtStart;
    let foundLast = true;
    while (!signal.aborted) {
      let map;
      try {
        map = await readClusterMap(pool, addresses);
      } catch (err) {
        fail(err);
        return;
      }
      const moved = unlinker.takeRedirects() > 0;
      const changed = before !== undefined && map.fingerprint !== before;
      if (!moved && (!changed || !foundLast)) return;
      if (result.passes >= maxPasses) {
        fail(new Error(`the cluster's slots kept moving: stopped after ${maxPasses} passes`));
        return;
      }
      before = map.fingerprint;
      addresses = map.primaries;
      result.passes++;
      const deletedBefore = result.deleted;
      await Promise.all(addresses.map((address) => onNode(address, undefined, true)));
      foundLast = result.deleted > deletedBefore;
    }
  }
}

/** Spread deletions evenly: the k-th batch waits until the keys before it fit the rate. */
export function createPacer(rate: number | undefined, signal?: AbortSignal): (keys: number) => Promise<void> {
  if (!rate) return () => Promise.resolve();
  const start = performance.now();
  let reserved = 0;
  return async (keys) => {
    const due = start + (reserved / rate) * 1000;
    reserved += keys;
    await sleep(due - performance.now(), signal);
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
