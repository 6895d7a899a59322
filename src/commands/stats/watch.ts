import type { Redis } from 'ioredis';
import { CliError, ExitCode } from '../../errors.js';
import { readNodes } from './snapshot.js';
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

async function read(primaries: Redis[], timeoutMs: number): Promise<Reading> {
  const r = await readNodes(primaries, timeoutMs);
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
  let prev = await read(primaries, opts.timeoutMs);
  let rows = 0;
  // A read that fails during a failover: ask the sentinels until the timeout is spent.
  const readOrSwitch = async (): Promise<Reading | Switch> => {
    const moved = await opts.follow?.check();
    if (moved) return moved;
    try {
      return await read(primaries, opts.timeoutMs);
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
