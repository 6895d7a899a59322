import type { Redis } from 'ioredis';
import { CliError, ExitCode } from '../../errors.js';
import { nodeAddress, readNodes } from './snapshot.js';
import type { Follower, Switch } from './failover.js';
import { windowRow, type Reading, type WindowRow } from './window.js';
import type { FailoverEvent } from './types.js';

/**
 * `stats --watch`: read INFO from every primary each interval and emit one row of what
 * happened in that window. Ends after `count` rows or when the signal aborts (Ctrl-C).
 */
export interface WatchOptions {
  intervalMs: number;
  count?: number;
  timeoutMs: number;
  signal: AbortSignal;
  onRow(row: WindowRow): void;
  /** Sentinel targets: notice a new primary and carry on there (failover.ts). */
  follow?: Follower;
  /**
   * Cluster targets: the primaries as the slot map names them now, asked before each reading.
   * A primary that does not answer is then named in the row (a failover in progress) instead
   * of stopping the watch, and a promoted replica is followed (window.ts marks the interval).
   */
  refresh?: () => Promise<Redis[]>;
  onFailover?(event: FailoverEvent): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

const gone = /ECONNREFUSED|ECONNRESET|Connection is closed|Stream isn't writeable|enableOfflineQueue/i;

async function read(
  primaries: Redis[],
  timeoutMs: number,
  refresh?: () => Promise<Redis[]>,
): Promise<Reading> {
  const r = await readNodes(primaries, timeoutMs);
  if (refresh && r.failed.length > 0) {
    // Ask the cluster who the primaries are now. A node whose process is gone (refused,
    // closed) is named in the row while the cluster fails over; one that accepts but does
    // not answer (stuck) stops the watch below, as on a standalone server.
    const now = await refresh();
    const again = await readNodes(now, timeoutMs);
    // A node that did not answer and is still a primary stops the watch even if it answers by
    // the time we ask again (a pause that ends while the map is re-read): its window is lost.
    const primaryNow = new Set(now.map(nodeAddress));
    const stuck = r.failed.filter((f) => !gone.test(f.error) && primaryNow.has(f.address));
    const failed = [
      ...stuck,
      ...again.failed.filter((f) => !gone.test(f.error) && !stuck.some((s) => s.address === f.address)),
    ];
    if (failed.length === 0)
      return { at: again.at, nodes: again.nodes, unreachable: again.failed.map((f) => f.address) };
    r.failed = failed;
  }
  // A window without one of the nodes would be wrong in silence: stop and name it.
  const f = r.failed[0];
  if (f)
    throw new CliError(
      `node ${f.address} failed: ${f.error}`,
      'check that node; the other rows above were complete',
      ExitCode.usage,
    );
  return { at: r.at, nodes: r.nodes };
}

export async function watchStats(first: Redis[], opts: WatchOptions): Promise<number> {
  let primaries = first;
  const current = async (): Promise<Redis[]> =>
    opts.refresh ? (primaries = await opts.refresh()) : primaries;
  let prev = await read(await current(), opts.timeoutMs, opts.refresh);
  let rows = 0;
  // A read that fails during a failover: ask the sentinels until the timeout is spent.
  const readOrSwitch = async (): Promise<Reading | Switch> => {
    const moved = await opts.follow?.check();
    if (moved) return moved;
    try {
      return await read(await current(), opts.timeoutMs, opts.refresh);
    } catch (err) {
      const until = Date.now() + opts.timeoutMs;
      while (opts.follow && Date.now() < until && !opts.signal.aborted) {
        await sleep(200, opts.signal);
        const later = await opts.follow.check();
        if (later) return later;
      }
      throw err;
    }
  };
  while (opts.count === undefined || rows < opts.count) {
    // Sleep until the next tick of a fixed schedule, so slow reads do not drift the rows.
    const next = prev.at + opts.intervalMs;
    await sleep(Math.max(0, next - Date.now()), opts.signal);
    if (opts.signal.aborted) break;
    const cur = await readOrSwitch();
    if ('primaries' in cur) {
      // Counters on the new primary are its own: start a fresh window there.
      primaries = cur.primaries;
      const fresh = await read(primaries, opts.timeoutMs);
      opts.onFailover?.({
        time: new Date(fresh.at).toISOString(),
        failover: { primary: cur.address, previous: cur.previous, gapMs: fresh.at - prev.at },
      });
      prev = fresh;
      continue;
    }
    opts.onRow(windowRow(prev, cur));
    rows++;
    prev = cur;
  }
  return rows;
}
