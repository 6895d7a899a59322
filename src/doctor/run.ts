import type { Redis } from 'ioredis';
import { describeUse, runFitness, skipFitness, type UseDecision } from './fitness.js';
import type { Facts, Use } from './facts.js';
import { gatherFacts } from './gather.js';
import { gateIds, needsQueueCounts, runGate, type GateThresholds, type QueueCoverage } from './gate.js';
import { gateQueues } from './gate-queues.js';
import { runLadder, skippedLadder, type LadderOutcome } from './ladder.js';
import { runSentinelLadder, type SentinelLadder, type SentinelSummary } from './sentinel.js';
import { describeSentinelPort } from './sentinel-port.js';
import { readProject, runProjectChecks } from './project.js';
import { countQueues } from './queue-counts.js';
import { hasUpstashRest, checkUpstashRest } from './upstash.js';
import { skip, summarize, type CheckResult, type Summary } from './types.js';
import { errorText } from '../redis/hints.js';
import { redact } from '../redis/secrets.js';
import type { ServerFacts } from '../redis/info.js';
import type { Provider } from '../redis/provider.js';
import type { Env, Target } from '../redis/target.js';
import { clearLive, drawLive } from '../ui/live.js';
import { printProgress } from '../ui/output.js';

/**
 * The doctor run itself: ladder, fitness, gate and project checks into one result. Lives in
 * src/doctor/ (not the command folder) because `init --up` runs it too; callers load it lazily so
 * `--help` never loads ioredis.
 */
export interface DoctorRunOptions {
  use?: Use;
  /** Where use came from: a flag (default) or redis-ops.yaml. */
  useSource?: 'flag' | 'config';
  failOn?: 'warn' | 'fail';
  gate?: GateThresholds;
  /** The queues the gate covers (--queues, `queues:` in redis-ops.yaml); default: those found. */
  queues?: string[];
  waitSeconds?: number;
  /** latency.fork's threshold in ms (default 500). */
  forkWarnMs?: number;
  env?: Env;
  /** Directory for the project checks; checks run when it holds a compose file or .env, or when forced. */
  projectDir?: string;
  projectForced?: boolean;
}

export interface DoctorResult {
  target: string;
  /** Present for a Sentinel target (src/doctor/sentinel.ts). */
  sentinel?: SentinelSummary;
  provider: Provider;
  server: ServerFacts | null;
  /** What the instance is for, and how doctor knows; null when the server was not reached. */
  use: UseDecision | null;
  failOn: 'warn' | 'fail';
  checks: CheckResult[];
  summary: Summary;
  /** false when a check is at or above --fail-on (exit code 1). */
  ok: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One --wait attempt. On a terminal it is one live line, redrawn in place and cut to the width
 * (src/ui/live.ts: a wrapped line would leave rows behind; Ctrl-C finishes it with
 * "interrupted"), with the attempt first so a cut keeps it; in a CI log, a line per attempt.
 */
function waiting(what: string, why: string, attempt: number, leftMs: number): void {
  const left = `attempt ${attempt}, ${Math.ceil(leftMs / 1000)} s left`;
  if (process.stderr.isTTY) drawLive(`waiting for ${what} (${left}): ${why}`);
  else printProgress(`waiting for ${what}: ${why} (${left})\n`);
}

/** Retry the ladder until it reaches the server or the wait is over (CI: Redis still starting). */
export async function ladderWithWait(target: Target, waitSeconds: number): Promise<LadderOutcome> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    const ladder = await runLadder(target);
    const left = deadline - Date.now();
    if (ladder.reached || left <= 0 || ladder.lasting) clearLive();
    if (ladder.reached || left <= 0) {
      if (waitSeconds > 0 && ladder.reached && attempt > 1)
        printProgress(`reached ${target.display} after ${attempt} attempts\n`);
      return ladder;
    }
    await ladder.connection?.close();
    const failed = ladder.checks.find((c) => c.status === 'fail');
    // Wrong credentials or certificates do not heal by waiting: say so and stop now.
    if (ladder.lasting) {
      printProgress(
        `not waiting: ${failed ? `${failed.id} failed` : 'the ladder failed'} on ${ladder.lasting}, which waiting does not fix\n`,
      );
      return ladder;
    }
    waiting(target.display, failed ? `${failed.id} ${failed.message}` : 'not reached', attempt, left);
    await sleep(Math.min(1000, left));
  }
}

async function serverChecks(
  ladder: LadderOutcome,
  target: Target,
  opts: DoctorRunOptions,
): Promise<{ checks: CheckResult[]; facts: Facts | null }> {
  const gate = opts.gate ?? {};
  const conn = ladder.connection;
  if (!ladder.reached || !conn || !ladder.info || !ladder.server) {
    const why = 'not run: the server was not reached';
    return { checks: [...skipFitness(why), ...gateIds(gate).map((id) => skip(id, why))], facts: null };
  }
  const needQueues = needsQueueCounts(gate) || (conn.isCluster && opts.use !== 'cache');
  let facts: Facts;
  try {
    facts = await gatherFacts({
      connection: conn,
      info: ladder.info,
      server: ladder.server,
      provider: ladder.provider,
      target,
      use: opts.use,
      useSource: opts.useSource,
      errorWindow: ladder.errorWindow,
      forkWarnMs: opts.forkWarnMs,
      needQueues,
    });
  } catch (err) {
    // The server answered the ladder but not the follow-up reads (e.g. a node dropped): report, don't crash.
    const why = `not run: reading the server's facts failed: ${redact(errorText(err))}`;
    return { checks: [...skipFitness(why), ...gateIds(gate).map((id) => skip(id, why))], facts: null };
  }
  const coverage: QueueCoverage = { counts: null, why: facts.queuesUnavailable, uncovered: null };
  if (needsQueueCounts(gate)) {
    try {
      const chosen = await gateQueues(
        conn.primaries(),
        conn.isCluster,
        facts.queues,
        facts.probe,
        opts.queues,
        target.timeoutMs,
      );
      if (chosen) {
        coverage.uncovered = chosen.uncovered;
        coverage.counts = await countQueues(conn, chosen.queues, target.timeoutMs);
      }
    } catch (err) {
      coverage.why = redact(errorText(err));
    }
  }
  return { checks: [...runFitness(facts), ...runGate(gate, facts, coverage)], facts };
}

/** --wait for a Sentinel target: retry the sentinel ladder until it names a primary that answers. */
async function sentinelWithWait(target: Target, waitSeconds: number): Promise<SentinelLadder> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    const ladder = await runSentinelLadder(target);
    const left = deadline - Date.now();
    if (ladder.primary || left <= 0) {
      clearLive();
      return ladder;
    }
    const failed = ladder.checks.find((c) => c.status === 'fail');
    waiting(
      `the sentinels of ${target.sentinel?.master ?? ''}`,
      failed ? `${failed.id} ${failed.message}` : ladder.why,
      attempt,
      left,
    );
    await sleep(Math.min(1000, left));
  }
}

export async function runDoctor(given: Target, opts: DoctorRunOptions = {}): Promise<DoctorResult> {
  const failOn = opts.failOn ?? 'fail';
  // A Sentinel target: its own ladder first, then the usual one against the primary it finds.
  const sentinel = given.sentinel ? await sentinelWithWait(given, opts.waitSeconds ?? 0) : undefined;
  const target = sentinel?.primary ?? given;
  const ladder =
    sentinel && !sentinel.primary
      ? skippedLadder(sentinel.why)
      : await ladderWithWait(target, opts.waitSeconds ?? 0);
  let use: UseDecision | null = null;
  if (ladder.server?.mode === 'sentinel' && ladder.connection) {
    // A plain URL at a Sentinel port: name it, list its masters, give the sentinel URL.
    const check = await describeSentinelPort(ladder.connection.primaries()[0] as Redis, target);
    ladder.checks = ladder.checks.map((c) => (c.id === check.id ? check : c));
    if (!ladder.checks.some((c) => c.id === check.id)) ladder.checks.push(check);
    ladder.reached = false;
  }
  const checks = [...(sentinel?.checks ?? []), ...ladder.checks];
  try {
    const server = await serverChecks(ladder, target, opts);
    checks.push(...server.checks);
    if (server.facts) use = describeUse(server.facts);
  } finally {
    await ladder.connection?.close();
  }
  const project = opts.projectDir ? readProject(opts.projectDir, opts.projectForced) : undefined;
  if (project)
    checks.push(...(await runProjectChecks(project, use && use.value !== 'unknown' ? use.value : opts.use)));
  // The project's own .env counts too when --project points elsewhere; the resolved env wins.
  const env: Env = { ...(project?.env ?? {}), ...(opts.env ?? {}) };
  if (hasUpstashRest(env)) checks.push(await checkUpstashRest(env, target.timeoutMs));
  const summary = summarize(checks);
  const ok = summary.fail === 0 && (failOn === 'fail' || summary.warn === 0);
  return {
    target: given.display,
    sentinel: sentinel?.summary,
    provider: ladder.provider,
    server: ladder.server,
    use,
    failOn,
    checks,
    summary,
    ok,
  };
}
