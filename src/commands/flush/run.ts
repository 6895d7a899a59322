import type { Redis } from 'ioredis';
import { CancelledError, CliError, ExitCode } from '../../errors.js';
import { openConnection, type Connection } from '../../redis/connect.js';
import { deleteKeys, type DeleteOptions } from '../../redis/delete.js';
import { readClusterMap } from '../../redis/cluster-map.js';
import { errorText, explainError } from '../../redis/hints.js';
import { nodeAddress, PipePool } from '../../redis/pipe-pool.js';
import { redact } from '../../redis/secrets.js';
import { displayKey, shortKey } from '../../redis/scan.js';
import { surveyKeys, type Survey } from '../../redis/survey.js';
import { onInterrupt } from '../../ui/signals.js';
import { isQueueCandidate } from '../../queues/keys.js';
import { nameFailure, refuseReplica } from './failure.js';
import { classifyCandidates, createQueueScreen, queuesAbovePrefixes, queuesByDiscovery } from './guard.js';
import { noteFailover } from './failover.js';
import { planFlush, type FlushPlan } from './plan.js';
import { startProgress, type Progress } from './progress.js';
import { renderSurvey } from './render.js';
import type { FlushOptions, FlushResult, FlushStatus } from './types.js';

/** The flow of `flush`: plan, count (and guard), confirm, delete, report. */
/**
 * Names kept between counting and the prompt's answer, packed (bytes + 4 each). 48 MiB holds
 * 1.1M names of 40 bytes: past it the deleting pass SCANs again, so a run stays under 200 MB
 * for any keyspace (1M names of 1 KB peaked at 185 MB with 64 MiB kept, 2026-12-01).
 */
export const defaultRetainBytes = 48 * 1024 * 1024;
/** Keys per UNLINK and batches in flight per node: chosen with the bench (README, Benchmarks). */
const batchSize = 1000;
const inFlight = 4;

export function exitCodeFor(status: FlushStatus): number {
  return {
    done: 0,
    'dry-run': 0,
    'max-keys': ExitCode.failed,
    'kept-queues': ExitCode.failed,
    interrupted: ExitCode.cancelled,
    'connection-lost': ExitCode.usage,
    failed: ExitCode.usage,
  }[status];
}

export async function flush(opts: FlushOptions): Promise<FlushResult> {
  const plan = planFlush(opts.prefixes, opts.pattern);
  if (!opts.dryRun && !opts.yes && !opts.interactive) {
    throw new CliError(
      'refusing to delete without confirmation: there is no terminal to ask on',
      'check with --dry-run first, then pass --yes to delete without a prompt',
    );
  }
  // durationMs leaves out the time spent at the prompt: it measures our work, not the reader.
  const clock = { started: performance.now() };
  const conn = await openConnection(opts.target);
  const interrupt = new AbortController();
  const release = onInterrupt(() => interrupt.abort());
  const labels = conn.primaries().map((n) => `${n.options.host}:${n.options.port}`);
  const progress = startProgress(labels, opts.progress);
  try {
    const result = await runFlush(opts, plan, conn, interrupt.signal, progress, labels, clock);
    await noteFailover(conn, opts.target, result);
    result.durationMs = Math.round(performance.now() - clock.started);
    return result;
  } finally {
    progress.stop();
    release();
    await conn.close();
  }
}

async function runFlush(
  opts: FlushOptions,
  plan: FlushPlan,
  conn: Connection,
  signal: AbortSignal,
  progress: Progress,
  labels: string[],
  clock: { started: number },
): Promise<FlushResult> {
  const primaries = conn.primaries();
  if (!conn.isCluster && !opts.dryRun)
    await step('reading INFO replication', () => refuseReplica(conn.client, opts.target.display));
  // The slot map before counting: if a reshard moves slots meanwhile, deleting scans again.
  const mapAtStart = conn.isCluster
    ? (await step('reading the slot map', () => clusterMap(primaries, opts.target.timeoutMs))).fingerprint
    : undefined;
  const exact = !plan.raw && !opts.type;
  const guarded = (): Promise<string[]> =>
    exact
      ? queuesAbovePrefixes(conn.client, plan.prefixBytes)
      : queuesByDiscovery(primaries, plan.patterns, opts.count);
  const queues = new Set(await step('looking for BullMQ queues', guarded));
  const refuse = (): CliError =>
    new CliError(
      `refusing to delete BullMQ queue keys: ${[...queues].sort().slice(0, 10).join(', ')}${queues.size > 10 ? ` and ${queues.size - 10} more` : ''}`,
      'use a narrower prefix, or pass --include-queues to delete those queues too',
    );
  if (queues.size > 0 && !opts.includeQueues && !opts.dryRun) throw refuse();

  // Nothing needs the count before deleting (no prompt, no --max-keys): delete as we scan,
  // in memory that does not grow with the keyspace (README, flush: streaming and counted).
  if (!opts.dryRun && opts.yes && opts.maxKeys === undefined)
    return streamFlush(opts, plan, conn, signal, progress, labels, [...queues].sort(), mapAtStart);

  progress.phase('counting');
  const survey = await step('counting keys', () =>
    surveyKeys(primaries, {
      patterns: plan.patterns,
      count: opts.count,
      type: opts.type,
      signal,
      // Names are kept only while a person reads the prompt (deleting then needs no second
      // SCAN); with --yes --max-keys the deleting pass scans again, in flat memory.
      retainBytes: opts.dryRun ? 0 : (opts.retainBytes ?? (opts.yes ? 0 : defaultRetainBytes)),
      maxKeys: opts.maxKeys,
      sampleSize: 10,
      isCandidate: exact ? isQueueCandidate : undefined,
      inspect: (pipe, keys) => classifyCandidates(pipe, keys, conn.isCluster),
      onBatch: (node, n) => progress.scanned(node, n),
      timeoutMs: opts.target.timeoutMs,
    }),
  );
  for (const base of survey.found) queues.add(base);

  const result = baseResult(opts, plan, survey, labels, [...queues].sort());
  if (signal.aborted) return { ...result, status: 'interrupted' };
  if (survey.exceeded) return { ...result, status: 'max-keys' };
  if (queues.size > 0 && !opts.includeQueues && !opts.dryRun) throw refuse();
  if (opts.dryRun || survey.matched === 0) return { ...result, status: opts.dryRun ? 'dry-run' : 'done' };

  if (!opts.yes) {
    progress.pause();
    const confirm = opts.confirm ?? askTyped;
    const asked = performance.now();
    if (!(await confirm(renderSurvey(result), plan.confirmText)))
      throw new CancelledError('confirmation did not match: nothing was deleted');
    clock.started += performance.now() - asked;
  }

  progress.phase('deleting');
  const index = new Map(labels.map((l, i) => [l, i]));
  const deletion = await deleteKeys(
    primaries,
    survey.nodes.map((n) => n.store),
    {
      cluster: conn.isCluster,
      patterns: plan.patterns,
      count: opts.count,
      type: opts.type,
      batchSize,
      inFlight,
      rate: opts.rate,
      // Keys written while the person read the prompt are in the namespace too: scan once more.
      sweep: !opts.yes,
      mapAtStart,
      signal,
      // What a SCAN pass deletes now (the sweep, names not kept) is screened too: a queue
      // created since the count is kept, like one met while streaming.
      ...guardFor(opts, plan, conn),
      onDeleted: (node, n) => progress.deleted(index.get(node) ?? 0, n),
      timeoutMs: opts.target.timeoutMs,
    },
  );
  for (const [node, n] of deletion.byNode) {
    let row = result.nodes.find((r) => r.node === node);
    if (!row) result.nodes.push((row = { node, matched: 0, deleted: 0 }));
    row.deleted += n;
  }
  result.deleted = deletion.deleted;
  result.command = deletion.command;
  result.passes = deletion.passes;
  result.kept = [...deletion.keptByNode.values()].reduce((a, b) => a + b, 0);
  result.queues = [...new Set([...result.queues, ...deletion.queues])].sort();
  if (deletion.error) {
    const named = await nameFailure(deletion.error, conn.client);
    return {
      ...result,
      status: named.retry ? 'connection-lost' : 'failed',
      error: named.message,
      hint: named.hint,
    };
  }
  if (signal.aborted) return { ...result, status: 'interrupted' };
  return result.kept > 0 ? keptQueues(result) : { ...result, status: 'done' };
}

/** The queue guard for a deleting pass: the per-key screen, and its rule inside the script. */
function guardFor(
  opts: FlushOptions,
  plan: FlushPlan,
  conn: Connection,
): Pick<DeleteOptions, 'screen' | 'script' | 'queuesMet'> {
  // With a raw pattern or --type, full discovery ran first: no queue is left to meet.
  if (plan.raw || opts.type) return { script: { guardFrom: plan.patterns.map(() => 0) } };
  const guard = createQueueScreen(plan.prefixBytes, conn.isCluster, !opts.includeQueues, conn.client);
  return {
    screen: guard.screen,
    queuesMet: guard.queues,
    script: { guardFrom: plan.prefixBytes.map((p) => p.length + 1) },
  };
}

function keptQueues(result: FlushResult): FlushResult {
  const names = `${result.queues.slice(0, 10).join(', ')}${result.queues.length > 10 ? ` and ${result.queues.length - 10} more` : ''}`;
  return {
    ...result,
    status: 'kept-queues',
    error: `kept ${result.kept} keys of BullMQ queues: ${names}`,
    hint: 'pass --include-queues to delete those queues too (--dry-run lists them first)',
  };
}

/**
 * Streaming: one SCAN pass that deletes what it finds (inside the server where EVAL is allowed,
 * delete-script.ts). A BullMQ queue met after deletions began is not deleted: every key is
 * screened before it goes (guard.ts createQueueScreen), the queue's keys are kept and named, and
 * the run ends with status kept-queues (exit 1). `matched` is what the pass met: deleted + kept.
 */
async function streamFlush(
  opts: FlushOptions,
  plan: FlushPlan,
  conn: Connection,
  signal: AbortSignal,
  progress: Progress,
  labels: string[],
  queues: string[],
  mapAtStart: string | undefined,
): Promise<FlushResult> {
  const primaries = conn.primaries();
  progress.phase('streaming');
  const index = new Map(labels.map((l, i) => [l, i]));
  const deletion = await deleteKeys(primaries, [], {
    cluster: conn.isCluster,
    patterns: plan.patterns,
    count: opts.count,
    type: opts.type,
    batchSize,
    inFlight,
    rate: opts.rate,
    mapAtStart,
    signal,
    stream: true,
    ...guardFor(opts, plan, conn),
    sampleSize: 10,
    onDeleted: (node, n) => progress.deleted(index.get(node) ?? 0, n),
    timeoutMs: opts.target.timeoutMs,
  });
  const kept = [...deletion.keptByNode.values()].reduce((a, b) => a + b, 0);
  const nodes = labels.map((node) => ({ node, matched: 0, deleted: 0 }));
  for (const [node, n] of deletion.byNode) {
    let row = nodes.find((r) => r.node === node);
    if (!row) nodes.push((row = { node, matched: 0, deleted: 0 }));
    row.deleted += n;
    row.matched += n;
  }
  for (const [node, n] of deletion.keptByNode) {
    let row = nodes.find((r) => r.node === node);
    if (!row) nodes.push((row = { node, matched: 0, deleted: 0 }));
    row.matched += n;
  }
  const result: FlushResult = {
    ...baseResult(
      opts,
      plan,
      { nodes: [], matched: 0, sample: [], found: new Set(), exceeded: false },
      labels,
      queues,
    ),
    streamed: true,
    matched: deletion.deleted + kept,
    deleted: deletion.deleted,
    kept,
    nodes,
    sample: deletion.sample.map((k) => shortKey(k)),
    queues: [...new Set([...queues, ...deletion.queues])].sort(),
    command: deletion.command,
    passes: deletion.passes,
  };
  if (deletion.error) {
    const named = await nameFailure(deletion.error, conn.client);
    return {
      ...result,
      status: named.retry ? 'connection-lost' : 'failed',
      error: named.message,
      hint: named.hint,
    };
  }
  if (signal.aborted) return { ...result, status: 'interrupted' };
  return kept > 0 ? keptQueues(result) : result;
}

/** The slot map as the cluster sees it now (ioredis' cache may be older). */
async function clusterMap(primaries: Redis[], timeoutMs: number): Promise<{ fingerprint: string }> {
  const pool = new PipePool(primaries[0] as Redis, timeoutMs);
  try {
    return await readClusterMap(pool, primaries.map(nodeAddress));
  } finally {
    pool.closeAll();
  }
}

function baseResult(
  opts: FlushOptions,
  plan: FlushPlan,
  survey: Survey,
  labels: string[],
  queues: string[],
): FlushResult {
  return {
    target: opts.target.display,
    prefixes: plan.prefixes,
    patterns: plan.patterns.map(displayKey),
    type: opts.type ?? null,
    dryRun: opts.dryRun,
    status: 'done',
    matched: survey.matched,
    deleted: 0,
    nodes: survey.nodes.map((n, i) => ({ node: labels[i] ?? `node ${i}`, matched: n.matched, deleted: 0 })),
    durationMs: 0,
    sample: survey.sample.map((k) => shortKey(k)),
    queues,
    maxKeys: opts.maxKeys ?? null,
    error: null,
    hint: null,
    command: null,
    passes: 0,
    kept: 0,
    streamed: false,
  };
}

/** Before anything is deleted a lost connection is a plain connection error: nothing happened. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      redact(`${what} failed: ${errorText(err)}; nothing was deleted`),
      explainError(err).hint,
      ExitCode.usage,
    );
  }
}

async function askTyped(summary: string, expected: string): Promise<boolean> {
  process.stderr.write(`${summary}\n\n`);
  const { askInput } = await import('../../ui/prompt.js');
  const answer = await askInput(`Type ${JSON.stringify(expected)} to delete these keys:`);
  return answer === expected;
}
