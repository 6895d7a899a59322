import type { Redis } from 'ioredis';
import { CliError, ExitCode } from '../../errors.js';
import type { Connection } from '../../redis/connect.js';
import { errorText } from '../../redis/hints.js';
import { parseInfo } from '../../redis/info.js';
import type { Target } from '../../redis/target.js';
import { withTimeout } from '../../redis/timeout.js';
import { formatBytes, formatPercent } from '../../ui/format.js';
import { printError, printWarning, writeJson, writeStdout } from '../../ui/output.js';
import { onInterrupt } from '../../ui/signals.js';
import {
  deliversKeymiss,
  enableKeymiss,
  readNotify,
  restoreCommand,
  restoreKeymiss,
  type KeymissState,
  type NotifySetting,
} from './hits-keymiss.js';
import type { HitsMode } from './hits-options.js';
import { evaluateGates, renderHits, toHitsJson, type HitsReport } from './hits-render.js';
import { sampleHits, type SampleResult, type WindowResult } from './hits-sample.js';
import { nodeAddress } from './snapshot.js';

/**
 * `stats --hits`: decide on key-miss events (on, enabled for the sample, or unavailable),
 * sample, put the setting back, report, judge the gates. Exit 0 ok, 1 a gate is under its
 * target, 2 a gate could not be judged / the sample failed / the setting could not be restored,
 * 130 cut short by Ctrl-C (what was seen is still reported).
 */
export interface HitsRunOptions {
  json: boolean;
  /** A person at a terminal who can answer the keymiss question. */
  interactive: boolean;
  /** Test hook: leave the MONITOR socket unread (a stuck consumer). */
  pauseReader?: boolean;
  ask?: (message: string) => Promise<boolean>;
}

async function refuseReplicas(primaries: Redis[], ms: number): Promise<void> {
  for (const node of primaries) {
    const info = parseInfo(await withTimeout(node.info('replication'), ms, 'INFO replication'));
    if (info.role === 'slave')
      throw new CliError(
        `${nodeAddress(node)} is a replica: MONITOR there sees only the replication stream (the primary's writes), not the apps' reads`,
        `sample the primary${info.master_host ? ` at ${info.master_host}:${info.master_port ?? ''}` : ''}`,
        ExitCode.usage,
      );
  }
}

async function decideKeymiss(
  primaries: Redis[],
  mode: HitsMode,
  opts: HitsRunOptions,
  ms: number,
): Promise<{ state: KeymissState; reason?: string; settings: NotifySetting[] }> {
  const read = await readNotify(primaries, ms);
  if ('blocked' in read) return { state: 'unavailable', reason: read.blocked, settings: [] };
  const lacking = read.settings.filter((s) => !deliversKeymiss(s.value));
  if (lacking.length === 0) return { state: 'on', settings: read.settings };
  const current = `notify-keyspace-events is "${lacking[0]?.value ?? ''}" (no key-miss events)`;
  let yes = mode.enableKeymiss;
  if (!yes && opts.interactive && opts.ask)
    yes = await opts.ask(
      `${current}. Add them (E, m) for the sample and restore "${lacking[0]?.value}" after?`,
    );
  if (!yes)
    return {
      state: 'unavailable',
      reason: `${current}; pass --enable-keymiss to add them for the sample (restored after)`,
      settings: [],
    };
  return { state: 'enabled-for-sample', settings: lacking };
}

function stopNote(result: SampleResult, maxOps: number | undefined): void {
  const s = result.stop;
  if (s.reason === 'buffer')
    printWarning(`stopped early: ${s.message ?? 'output buffer bound'}; the report covers what was seen`);
  else if (s.reason === 'max-ops') printWarning(`stopped at --max-ops ${maxOps ?? ''}`);
  else if (s.reason === 'interrupted') printWarning('interrupted: the report covers what was seen');
  else if (s.reason === 'error') printError(`the sample ended early: ${s.message ?? 'a connection failed'}`);
  if (result.incomplete && s.reason !== 'buffer' && s.reason !== 'error')
    printWarning(
      'a stream stalled before the end of the window: its last commands are missing from the figures',
    );
  if (result.bufferUnwatched)
    printWarning(
      `could not watch the MONITOR output buffer (${result.bufferUnwatched}); --max-ops and the duration still bound the sample`,
    );
}

export async function runHits(
  conn: Connection,
  target: Target,
  mode: HitsMode,
  opts: HitsRunOptions,
): Promise<number> {
  const ms = target.timeoutMs;
  const primaries = conn.primaries();
  await refuseReplicas(primaries, ms);
  const keymiss = await decideKeymiss(primaries, mode, opts, ms);
  if (keymiss.state === 'unavailable')
    printWarning(
      `no hit ratio per namespace (reads, writes, TTL hygiene and the global ratio only): ${keymiss.reason ?? ''}`,
    );
  printWarning(
    `MONITOR costs the server about one extra output write per command on ${primaries.length} primar${primaries.length === 1 ? 'y' : 'ies'} ` +
      `for ${(mode.durationMs / 1000).toFixed(1)} s; the sample stops if our buffer there passes ${formatBytes(mode.maxBufferBytes)}`,
  );
  const ac = new AbortController();
  const release = onInterrupt(() => ac.abort());
  let changed: NotifySetting[] = [];
  let result: SampleResult | undefined;
  let failure: unknown;
  const report = (w: WindowResult, restored: boolean): HitsReport => ({
    target: target.display,
    result: w,
    keymiss: keymiss.state,
    keymissReason: keymiss.reason,
    restored,
    gates: mode.gates,
  });
  try {
    if (keymiss.state === 'enabled-for-sample') changed = await enableKeymiss(keymiss.settings, ms);
    result = await sampleHits(primaries, {
      group: { delimiter: mode.delimiter, depth: mode.depth, match: mode.match, top: mode.top },
      durationMs: mode.durationMs,
      maxOps: mode.maxOps,
      maxBufferBytes: mode.maxBufferBytes,
      keymiss: keymiss.state !== 'unavailable',
      timeoutMs: ms,
      signal: ac.signal,
      intervalMs: mode.intervalMs,
      pauseReader: opts.pauseReader,
      onWindow: (w) => emitWindow(report(w, changed.length === 0), opts.json),
    });
  } catch (err) {
    failure = err;
  } finally {
    release();
  }
  const unrestored = changed.length > 0 ? await restoreKeymiss(changed, ms) : [];
  if (unrestored.length > 0) {
    printError('could not restore notify-keyspace-events; run:', undefined);
    for (const s of unrestored) process.stderr.write(`  ${restoreCommand(s)}\n`);
  }
  if (failure !== undefined) {
    if (unrestored.length > 0) return ExitCode.usage;
    throw failure instanceof Error ? failure : new Error(errorText(failure));
  }
  const final = report(result as SampleResult, unrestored.length === 0);
  if (mode.intervalMs) emitWindow(final, opts.json);
  else if (opts.json) writeJson(toHitsJson(final));
  else writeStdout(renderHits(final));
  stopNote(result as SampleResult, mode.maxOps);
  if (unrestored.length > 0) return ExitCode.usage;
  let code: number = ExitCode.ok;
  for (const v of evaluateGates(final)) {
    const name = v.gate.prefix ?? 'the whole server';
    if (v.ok === false) {
      printError(`hit ratio of ${name} is ${formatPercent(v.actual)}, under ${formatPercent(v.gate.min)}`);
      code = Math.max(code, ExitCode.failed);
    } else if (v.ok === null) {
      printError(
        `cannot judge --min-hit-ratio for ${name}: ${v.why ?? 'no data'}`,
        'sample while the apps are busy, or for longer (e.g. --hits 60); per-namespace gates need key-miss events',
      );
      code = ExitCode.usage;
    }
  }
  if (result?.stop.reason === 'error') return ExitCode.usage;
  if (result?.stop.reason === 'interrupted') return code === ExitCode.ok ? ExitCode.cancelled : code;
  return code;
}

function emitWindow(r: HitsReport, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(toHitsJson(r))}\n`);
  else writeStdout(`${renderHits(r)}\n`);
}
