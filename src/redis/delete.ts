import type { Redis } from 'ioredis';
import { readClusterMap } from './cluster-map.js';
import { KeyStore, packKeys, type KeyPack } from './key-store.js';
import { nodeAddress, PipePool } from './pipe-pool.js';
import { scanNode } from './scan.js';
import { defaultTimeoutMs } from './timeout.js';
import { createUnlinker } from './unlink.js';

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
}

export interface DeleteResult {
  deleted: number;
  /** Keys deleted per node address (where the UNLINK that removed them ran). */
  byNode: Map<string, number>;
  /** SCAN passes over the primaries after the kept names (slot moves, sweep). */
  passes: number;
  /** The command that deleted: UNLINK, or DEL where UNLINK is missing or denied. */
  command: string;
  error: Error | null;
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
  const result: DeleteResult = { deleted: 0, byNode: new Map(), passes: 0, command: 'UNLINK', error: null };
  const fail = (err: unknown): void => {
    result.error ??= err instanceof Error ? err : new Error(String(err));
    failed.abort(); // a node is gone: every node stops after its batches in flight
  };
  const unlinker = createUnlinker(pool, opts.cluster, (address, n) => {
    result.deleted += n;
    result.byNode.set(address, (result.byNode.get(address) ?? 0) + n);
    opts.onDeleted?.(address, n);
  });

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
        for (const match of opts.patterns) {
          if (signal.aborted) break;
          for await (const batch of scanNode(pipe, { match, count: opts.count, type: opts.type, signal })) {
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
    if (opts.sweep || stores.some((s) => !s.complete)) result.passes = 1;
    if (opts.cluster) await settle(first);
  } finally {
    result.command = unlinker.command();
    pool.closeAll();
  }
  return result;

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
