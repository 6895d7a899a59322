import type { Cluster, Redis } from 'ioredis';
import { CliError, ExitCode } from '../../errors.js';
import { openConnection, type Connection } from '../../redis/connect.js';
import { redact } from '../../redis/secrets.js';
import { withTimeout } from '../../redis/timeout.js';
import type { Target } from '../../redis/target.js';
import { formatCount } from '../../ui/format.js';
import { barLine, clearLive, drawLive, terminalWidth } from '../../ui/live.js';
import { printError, writeJson, writeStdout } from '../../ui/output.js';
import { onInterrupt } from '../../ui/signals.js';
import { scanNamespaces } from './keys.js';
import { renderKeys, toKeysJson } from './render-keys.js';
import { followSentinel } from './failover.js';
import { renderFailover, renderWatchRow, toWatchJson, watchHeader } from './render-watch.js';
import { renderStats, toStatsJson } from './render.js';
import { collectStats, readNodes } from './snapshot.js';
import type { KeysResult, NodeFailure, SectionsJson, StatsMode, StatsResult } from './types.js';
import { watchStats } from './watch.js';
import { SparkPanel } from './render-spark.js';
import type { WindowRow } from './window.js';

/** The implementation behind `stats`, loaded lazily by index.ts so --help stays fast. */
export interface RunOptions {
  json: boolean;
  /** Show progress on stderr (only when stderr is a terminal). */
  progress: boolean;
  /** stats --hits: a person can answer prompts; the test hook that stalls the MONITOR reader. */
  interactive?: boolean;
  pauseMonitor?: boolean;
  /** Columns the tables fit (undefined: full width, --wide or not a terminal). */
  width?: number;
  /** stdout is a terminal (and not --json): --watch draws sparklines under its rows. */
  sparklines?: boolean;
}

export async function snapshotStats(conn: Connection, target: Target): Promise<StatsResult> {
  const readings = await readNodes(conn.primaries(), target.timeoutMs);
  if (readings.nodes.length === 0) {
    const f = readings.failed[0];
    throw new CliError(
      `cannot read INFO from ${target.display}${f ? `: ${f.error}` : ''}`,
      'run redis-ops doctor to see why',
      ExitCode.usage,
    );
  }
  return collectStats(target, readings);
}

/** Failed nodes are named on stderr and make the exit code 2; the rest was printed. */
function reportFailures(failed: NodeFailure[]): number {
  for (const f of failed)
    printError(`node ${f.address} failed: ${f.error}`, 'the figures above leave this node out');
  return failed.length > 0 ? ExitCode.usage : ExitCode.ok;
}

export async function runStats(target: Target, mode: StatsMode, opts: RunOptions): Promise<number> {
  const conn = await openConnection(target);
  try {
    if (mode.kind === 'hits') {
      const { runHits } = await import('./hits.js');
      const { askConfirm } = await import('../../ui/prompt.js');
      return await runHits(conn, target, mode, {
        json: opts.json,
        interactive: Boolean(opts.interactive),
        pauseReader: opts.pauseMonitor,
        ask: (message) => askConfirm(message, false),
      });
    }
    if (mode.kind === 'snapshot') {
      const result = await snapshotStats(conn, target);
      if (!mode.sections) {
        if (opts.json) writeJson(toStatsJson(result));
        else writeStdout(renderStats(result));
        return reportFailures(result.failed);
      }
      const { readSections } = await import('./sections.js');
      const { renderSections } = await import('./render-sections.js');
      const top = mode.top ?? 10;
      const read = await readSections(conn.primaries(), mode.sections, top, target.timeoutMs);
      const failed = [
        ...result.failed,
        ...read.failed.filter((f) => !result.failed.some((x) => x.address === f.address)),
      ];
      if (opts.json)
        writeJson({ ...toStatsJson({ ...result, failed }), sections: read.sections } satisfies SectionsJson);
      else
        writeStdout(
          `${renderStats({ ...result, failed })}\n${renderSections(read.sections, top, opts.width)}`,
        );
      return reportFailures(failed);
    }
    if (mode.kind === 'watch') {
      const ac = new AbortController();
      const release = onInterrupt(() => ac.abort());
      const follow = conn.node?.role === 'primary' ? followSentinel(target, conn) : undefined;
      // On a terminal the rows scroll above a redrawn sparkline panel; piped, the rows are as they were.
      const panel = opts.sparklines
        ? new SparkPanel(
            terminalWidth(process.stdout),
            (t) => process.stdout.write(t),
            opts.width !== undefined,
          )
        : undefined;
      const print = (text: string, row?: WindowRow): void =>
        panel ? panel.print(text, row) : writeStdout(text);
      try {
        if (!opts.json) writeStdout(watchHeader(opts.width));
        await watchStats(conn.primaries(), {
          follow,
          refresh: conn.isCluster ? () => currentPrimaries(conn, target.timeoutMs) : undefined,
          onFailover: (e) =>
            opts.json ? process.stdout.write(`${JSON.stringify(e)}\n`) : print(renderFailover(e)),
          intervalMs: mode.intervalMs,
          count: mode.count,
          timeoutMs: target.timeoutMs,
          signal: ac.signal,
          onRow: (row) =>
            opts.json
              ? process.stdout.write(`${JSON.stringify(toWatchJson(row))}\n`)
              : print(renderWatchRow(row, opts.width), row),
        });
      } finally {
        release();
        await follow?.close();
      }
      // Ctrl-C is how a watch normally ends: that is success.
      return ExitCode.ok;
    }
    const result = await scanWithProgress(conn, target, mode, opts.progress);
    if (opts.json) writeJson(toKeysJson(result));
    else writeStdout(renderKeys(result, target.display, opts.width));
    return reportFailures(result.failed);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      redact(`stats failed on ${target.display}: ${err instanceof Error ? err.message : String(err)}`),
      'run redis-ops doctor to check the connection',
      ExitCode.usage,
    );
  } finally {
    await conn.close();
  }
}

/**
 * The primaries as the cluster sees them now: the slot map is read again each interval, so a
 * failover's new primary is followed (ioredis keeps its old map until told to refresh).
 */
async function currentPrimaries(conn: Connection, timeoutMs: number): Promise<Redis[]> {
  if (conn.isCluster) {
    const cluster = conn.client as Cluster;
    await withTimeout(
      new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve())),
      timeoutMs,
      'CLUSTER SLOTS',
    ).catch(() => undefined);
  }
  return conn.primaries();
}

async function scanWithProgress(
  conn: Connection,
  target: Target,
  mode: Extract<StatsMode, { kind: 'keys' }>,
  progress: boolean,
): Promise<KeysResult> {
  const started = Date.now();
  let shownAt = 0;
  const show = (scanned: number): void => {
    const now = Date.now();
    if (now - shownAt < 200) return;
    shownAt = now;
    const rate = scanned / Math.max((now - started) / 1000, 0.001);
    // --sample knows its total: a bar with percent and ETA; a full scan only knows what it saw.
    drawLive(
      mode.sample !== undefined
        ? barLine({
            label: 'sampling',
            done: Math.min(scanned, mode.sample),
            total: mode.sample,
            elapsedMs: now - started,
            unit: 'keys',
            width: terminalWidth(),
          })
        : `scanned ${formatCount(scanned)} keys · ${formatCount(Math.round(rate))} keys/s`,
    );
  };
  try {
    return await scanNamespaces(conn.primaries(), {
      ...mode,
      script: !conn.isCluster,
      timeoutMs: target.timeoutMs,
      onProgress: progress ? show : undefined,
    });
  } finally {
    if (progress && shownAt > 0) clearLive();
  }
}
