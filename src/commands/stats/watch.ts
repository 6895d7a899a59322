import type { Redis } from 'ioredis';
import { CliError, ExitCode } from '../../errors.js';
import { readNodes } from './snapshot.js';
import { windowRow, type Reading, type WindowRow } from './window.js';

/**
 * `stats --watch`: read INFO from every primary each interval and emit one row of what
 * happened in that window. Ends after `count` rows or when the signal aborts (Ctrl-C).
 */
export interface WatchOptions {
  /** A cluster: a node that fails is looked up in a fresh slot map, and the watch goes on. */
  cluster?: boolean;
  intervalMs: number;
  count?: number;
  timeoutMs: number;
  signal: AbortSignal;
  onRow(row: WindowRow): void;
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

async function read(
  primaries: () => Promise<Redis[]>,
  timeoutMs: number,
  cluster: boolean,
): Promise<Reading> {
  const r = await readNodes(await primaries(), timeoutMs);
  if (cluster && r.failed.length > 0) {
    // A primary that does not answer may have failed over: ask the cluster who the primaries
    // are now. Still unreachable (no failover yet): the row names it instead of stopping.
    const again = await readNodes(await primaries(), timeoutMs);
    return { at: again.at, nodes: again.nodes, unreachable: again.failed.map((f) => f.address) };
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

export async function watchStats(primaries: () => Promise<Redis[]>, opts: WatchOptions): Promise<number> {
  const cluster = opts.cluster === true;
  let prev = await read(primaries, opts.timeoutMs, cluster);
  let rows = 0;
  while (opts.count === undefined || rows < opts.count) {
    // Sleep until the next tick of a fixed schedule, so slow reads do not drift the rows.
    const next = prev.at + opts.intervalMs;
    await sleep(Math.max(0, next - Date.now()), opts.signal);
    if (opts.signal.aborted) break;
    const cur = await read(primaries, opts.timeoutMs, cluster);
    opts.onRow(windowRow(prev, cur));
    rows++;
    prev = cur;
  }
  return rows;
}
