import type { ScriptingAccess } from '../../queues/access.js';
import type { ActionName, ActionOptions } from '../../queues/actions.js';
import type { JobActionName } from '../../queues/job-actions.js';
import type { Held, WipeAction } from '../../queues/wipe.js';
import type { JobCounts, QueueState } from '../../queues/counts.js';
import type { DiscoveredQueue } from '../../queues/discover.js';
import type { JobSummary, MinuteStats, QueueMeta, ReasonCount } from '../../queues/inspect.js';
import type { JobDetail as Job } from '../../queues/jobs.js';
import type { JobState, RetryState } from '../../queues/keys.js';
import type { LimiterState } from '../../queues/health.js';
import type { StalledSample } from '../../queues/stalled.js';
import type { Role } from '../../queues/role.js';
import type { Rates } from '../../queues/watch.js';
import type { SchedulerEntry } from '../../queues/schedulers.js';
import type { SplitSource } from '../../queues/split.js';
import type { CommonFlags } from '../connection.js';

// The queues command's flag, option and result types in one place (index, overview, show, actions
// and the renderers all read them).

export interface QueuesFlags extends CommonFlags {
  prefix?: string[];
  maxFailed?: string;
  maxWaitingAge?: string;
  wide?: boolean;
}

export interface ShowFlags extends QueuesFlags {
  limit?: string;
  jobs?: string;
  minutes?: string;
}

export interface ActionFlags extends QueuesFlags {
  yes?: boolean;
  /** retry: every queue found. */
  allQueues?: boolean;
  dryRun?: boolean;
  state?: string;
  grace?: string;
}

export interface QueuesOptions {
  prefixes: string[];
  /** Gate: exit 1 when a queue has more failed jobs than this. */
  maxFailed?: number;
  /** Gate: exit 1 when a queue's oldest waiting job is older than this. */
  maxWaitingAgeSeconds?: number;
  timeoutMs: number;
  now?: () => number;
}

export interface QueueRow extends QueueState {
  base: string;
  prefix: string;
  name: string;
  version: string | null;
  split: SplitSource;
  /** Connections named like this queue's workers; null when CLIENT LIST is denied. */
  workers: number | null;
  /** Why the row needs a look (failed jobs, paused, nobody consuming). */
  attention: string[];
}

export interface Violation {
  queue: string;
  /** unreadable: a gate is set and this queue could not be read, so the gate cannot pass (fail closed). */
  rule: 'max-failed' | 'max-waiting-age' | 'unreadable';
  value: number | null;
  limit: number | null;
  error?: string;
}

export interface QueuesResult {
  target: string;
  cluster: boolean;
  queues: QueueRow[];
  /** False when CLIENT LIST is denied or on a replica: workers are null and liveness comes from stalled-check. */
  workersKnown: boolean;
  /** Connected to a replica: workers connect to the primary and are not visible here. */
  onReplica: boolean;
  scripting: ScriptingAccess;
  /** How the counts were read: one read-only script per queue, or plain commands (EVAL denied). */
  countsFrom: 'lua' | 'pipeline';
  violations: Violation[];
}

export interface ShowOptions {
  name: string;
  prefixes: string[];
  /** Failed jobs to group reasons over (most recent first). */
  limit: number;
  /** List jobs in this state. */
  jobs?: JobState;
  jobsLimit: number;
  minutes: number;
  timeoutMs: number;
  now?: () => number;
}

export interface WorkerInfo {
  /** The worker's name (`:w:<name>` in its client name), null for unnamed workers. */
  name: string | null;
  addr: string;
  idleSeconds: number;
  ageSeconds: number;
}

export interface ShowResult extends QueueState {
  target: string;
  queue: DiscoveredQueue;
  meta: QueueMeta;
  /** null when CLIENT LIST is denied. */
  workers: WorkerInfo[] | null;
  /** replica: workers connect to the primary, so none are visible here (workers is null). */
  role: Role;
  nextDelayedAt: number | null;
  failed: { sampled: number; reasons: ReasonCount[] };
  throughput: MinuteStats[];
  /** metrics: BullMQ's metrics keys; events: the events stream (see eventsCoverFrom). */
  throughputFrom: 'metrics' | 'events';
  /** The stream was trimmed: it covers only from this time (ms), not the whole window. */
  eventsCoverFrom: number | null;
  limiter: LimiterState;
  stalled: StalledSample;
  jobSchedulers: number;
  jobs: { state: JobState; items: JobSummary[] } | null;
  now: number;
}

export interface ActionRequest extends ActionOptions {
  action: ActionName;
  name: string;
  prefixes: string[];
  yes: boolean;
  dryRun: boolean;
  /** A person can answer a prompt (stdin and stderr are terminals, no --json). */
  interactive: boolean;
  /** Why there is no prompt when not interactive (for the refusal message). */
  noPrompt?: string;
  timeoutMs: number;
  /** Asks the person; the command passes askConfirm (tests pass a stub). */
  confirm: (message: string) => Promise<boolean>;
  /** Where the plan is shown before asking (stderr). */
  announce: (line: string) => void;
  /** Ctrl-C during the run: the command wires onInterrupt; the run stops after the batch in flight. */
  onInterrupt?: (stop: () => void) => () => void;
  /** Jobs per BullMQ call (tests use small batches). */
  batchSize?: number;
  /** Progress while acting (stderr on a terminal). */
  progress?: (done: number, of: number) => void;
}

export interface Snapshot {
  counts: JobCounts | null;
  paused: boolean;
}

export interface ActionResult {
  queue: DiscoveredQueue;
  action: ActionName;
  state: string | null;
  dryRun: boolean;
  /** Jobs the action would touch, counted before asking (an upper bound when `exact` is false). */
  matched: number;
  exact: boolean;
  /** clean: the absolute cutoff fixed at planning time (ISO). */
  cutoff: string | null;
  /** Jobs moved or deleted (pause/resume: 1 or 0); null in a dry run. */
  changed: number | null;
  before: Snapshot;
  after: Snapshot | null;
  plan: string;
  done: string;
  /** Set when there was nothing to do. */
  note: string | null;
}

/** `queues --json` (README "queues --json"). */
export interface QueuesJson {
  target: string;
  cluster: boolean;
  eval: 'allowed' | 'denied';
  countsFrom: 'lua' | 'pipeline';
  workersFrom: 'client-list' | 'stalled-check';
  replica: boolean;
  queues: Array<{
    prefix: string;
    name: string;
    key: string;
    split: SplitSource;
    version: string | null;
    paused: boolean;
    counts: JobCounts | null;
    workers: number | null;
    stalledCheck: boolean;
    oldestWaitingAgeMs: number | null;
    attention: string[];
    error: string | null;
  }>;
  violations: Violation[];
}

/** `queues show <name> --json`: absolute times as ISO strings, durations in ms. */
export interface ShowJson {
  target: string;
  queue: { prefix: string; name: string; key: string; version: string | null };
  paused: boolean;
  counts: JobCounts | null;
  oldestWaitingAgeMs: number | null;
  nextDelayedAt: string | null;
  meta: QueueMeta;
  role: ShowResult['role'];
  limiter: ShowResult['limiter'];
  stalled: ShowResult['stalled'];
  workers: WorkerInfo[] | null;
  stalledCheck: boolean;
  failed: ShowResult['failed'];
  throughputFrom: ShowResult['throughputFrom'];
  eventsCoverFrom: string | null;
  throughput: Array<{ minute: string | null; completed: number; failed: number }>;
  jobSchedulers: number;
  jobs: {
    state: JobState;
    items: Array<{
      id: string;
      name: string | null;
      timestamp: string | null;
      processedOn: string | null;
      finishedOn: string | null;
      attemptsMade: number;
      failedReason: string | null;
    }>;
  } | null;
}

/** `queues retry|promote|clean|pause|resume --json`. */
export interface ActionJson {
  queue: { prefix: string; name: string; key: string };
  action: ActionName;
  state: string | null;
  dryRun: boolean;
  matched: number;
  exact: boolean;
  cutoff: string | null;
  changed: number | null;
  before: Snapshot;
  after: Snapshot | null;
  note: string | null;
}

/** `queues job <queue> <id> --json`: one job in full, absolute times as ISO strings. */
export interface JobJson {
  target: string;
  queue: { prefix: string; name: string; key: string };
  id: Job['id'];
  state: Job['state'];
  name: Job['name'];
  data: Job['data'];
  dataRaw: Job['dataRaw'];
  opts: Job['opts'];
  attempts: { made: Job['attemptsMade']; started: Job['attemptsStarted']; allowed: Job['attemptsAllowed'] };
  backoff: Job['backoff'];
  timestamp: string | null;
  processedOn: string | null;
  finishedOn: string | null;
  delayUntil: string | null;
  priority: Job['priority'];
  progress: Job['progress'];
  returnValue: Job['returnValue'];
  failedReason: Job['failedReason'];
  stacktraces: Job['stacktraces'];
  logs: Job['logs'];
  parent: Job['parent'];
  children: Job['children'];
  deduplicationId: Job['deduplicationId'];
  processedBy: Job['processedBy'];
  stalledCounter: Job['stalledCounter'];
  lock: Job['lock'];
}

/** `queues jobs --json` (README "queues jobs"); each item is also one `--ndjson` line. */
export interface JobsJson {
  target: string;
  queue: { prefix: string; name: string; key: string };
  examined: number;
  budgetHit: boolean;
  jobs: Array<Record<string, unknown>>;
}

/** A job action's request (`queues job <queue> <id> <action>` and `queues jobs <queue> ... <action>`). */
export interface JobActionGuards {
  name: string;
  prefixes: string[];
  action: JobActionName;
  /** move-to-failed and discard: the failed reason to record. */
  reason: string;
  yes: boolean;
  dryRun: boolean;
  /** A person can answer a prompt (stdin and stderr are terminals, no --json). */
  interactive: boolean;
  noPrompt?: string;
  timeoutMs: number;
  confirm: (message: string) => Promise<boolean>;
  announce: (line: string) => void;
  onInterrupt?: (stop: () => void) => () => void;
  /** Called after each job of a filtered action (tests use it to interrupt or freeze the server). */
  progress?: (done: number, of: number) => void;
}

export interface JobActionResult {
  target: string;
  queue: DiscoveredQueue;
  id: string;
  action: JobActionName;
  dryRun: boolean;
  stateBefore: JobState | 'unknown';
  /** null in a dry run. */
  stateAfter: JobState | 'unknown' | 'gone' | null;
  reason: string | null;
  plan: string;
  done: string;
}

/** `queues job <queue> <id> <action> --json`. */
export interface JobActionJson {
  target: string;
  queue: { prefix: string; name: string; key: string };
  id: string;
  action: JobActionName;
  dryRun: boolean;
  stateBefore: JobActionResult['stateBefore'];
  stateAfter: JobActionResult['stateAfter'];
  reason: string | null;
  plan: string;
}

export interface SkippedJob {
  id: string;
  /** gone (removed since the preview), a state it moved to, locked, or BullMQ's refusal. */
  why: string;
}

export interface JobsActionResult {
  target: string;
  queue: DiscoveredQueue;
  action: JobActionName;
  dryRun: boolean;
  states: JobState[];
  examined: number;
  /** --scan-limit stopped the search: more jobs may match than the plan lists. */
  budgetHit: boolean;
  /** --limit stopped the search. */
  limitHit: boolean;
  /** The ids the preview listed, with the state each was in: the only jobs the run touches. */
  planned: Array<{ id: string; state: JobState }>;
  changed: string[];
  skipped: SkippedJob[];
  reason: string | null;
  plan: string;
}

/** `queues jobs <queue> ... <action> --json`. */
export interface JobsActionJson {
  target: string;
  queue: { prefix: string; name: string; key: string };
  action: JobActionName;
  dryRun: boolean;
  states: JobState[];
  examined: number;
  budgetHit: boolean;
  limitHit: boolean;
  matched: number;
  ids: string[];
  /** Jobs acted on; null in a dry run. */
  changed: number | null;
  skipped: SkippedJob[];
  reason: string | null;
}

export interface WipeRequest {
  action: WipeAction;
  name: string;
  prefixes: string[];
  target: string;
  /** drain: delayed jobs go too. */
  delayed: boolean;
  yes: boolean;
  force: boolean;
  dryRun: boolean;
  interactive: boolean;
  noPrompt?: string;
  timeoutMs: number;
  /** Asks for the typed queue name; the command passes askInput (tests a stub). */
  ask: (message: string) => Promise<string>;
  announce: (line: string) => void;
  onInterrupt?: (stop: () => void) => () => void;
  progress?: (batches: number) => void;
}

export interface WipeResult {
  target: string;
  queue: DiscoveredQueue;
  action: WipeAction;
  delayed: boolean;
  force: boolean;
  dryRun: boolean;
  /** Connections named like this queue's workers; null when CLIENT LIST is denied. */
  workers: number | null;
  held: Held;
  before: JobCounts;
  /** Per state, what the plan said goes. */
  toGo: Partial<JobCounts>;
  /** Per state, what went (counts just before the run minus counts after); null in a dry run. */
  went: Partial<JobCounts> | null;
  after: JobCounts | null;
  plan: string;
}

/** `queues drain|obliterate <queue> --json`. */
export interface DrainJson {
  target: string;
  queue: { prefix: string; name: string; key: string };
  action: WipeAction;
  dryRun: boolean;
  delayed: boolean;
  force: boolean;
  workers: number | null;
  active: Held;
  before: JobCounts;
  toGo: Partial<JobCounts>;
  planned: number;
  went: Partial<JobCounts> | null;
  gone: number | null;
  after: JobCounts | null;
}

export interface RetryAllRow {
  queue: DiscoveredQueue;
  /** Jobs finished in the state before the plan; null for a skipped queue. */
  matched: number | null;
  /** Jobs moved back to wait; null in a dry run or for a skipped queue. */
  changed: number | null;
  /** Why the queue is left alone (an old bull queue, keys spread over cluster slots, ...). */
  skipped: string | null;
}

export interface RetryAllResult {
  target: string;
  state: RetryState;
  dryRun: boolean;
  rows: RetryAllRow[];
  plan: string;
}

/** `queues retry --all-queues --json`. */
export interface RetryAllJson {
  target: string;
  state: RetryState;
  dryRun: boolean;
  matched: number;
  changed: number | null;
  queues: Array<{
    prefix: string;
    name: string;
    key: string;
    matched: number | null;
    changed: number | null;
    skipped: string | null;
  }>;
}

export interface WatchFlags extends QueuesFlags {
  watch?: string | boolean;
  count?: string;
}

/** One queue in one `queues --watch` snapshot. */
export interface WatchRow extends QueueState {
  base: string;
  prefix: string;
  name: string;
  version: string | null;
  workers: number | null;
  /** Per second over the last interval; null on the first snapshot (nothing to compare with yet). */
  rates: Rates | null;
  /** Jobs finished (completed + failed) per interval, oldest first, since the watch began. */
  history: number[];
  attention: string[];
}

export interface WatchSnapshot {
  target: string;
  /** When the reading was taken (ms). */
  at: number;
  intervalMs: number;
  /** Seconds since the previous reading (null on the first). */
  seconds: number | null;
  workersKnown: boolean;
  rows: WatchRow[];
}

/**
 * `queues --watch` without a terminal (or with --json): one line of NDJSON per interval
 * (README "queues --watch").
 */
export interface QueuesWatchJson {
  time: string;
  target: string;
  intervalMs: number;
  /** Seconds the rates are measured over; null on the first line. */
  seconds: number | null;
  workersFrom: 'client-list' | 'stalled-check';
  queues: Array<{
    prefix: string;
    name: string;
    key: string;
    paused: boolean;
    counts: JobCounts | null;
    workers: number | null;
    oldestWaitingAgeMs: number | null;
    /** Per second over the interval; null on the first line. */
    rates: {
      added: number | null;
      completed: number;
      failed: number;
      from: 'metrics' | 'events';
      approximate: boolean;
    } | null;
    attention: string[];
    error: string | null;
  }>;
}

/** `queues schedulers <queue> --json`: every job scheduler / repeatable job, read without writing. */
export interface SchedulersJson {
  target: string;
  queue: { prefix: string; name: string; key: string };
  /** Members of `<q>:repeat` (ZCARD). */
  total: number;
  /** False when more than --limit exist and only the first were read. */
  complete: boolean;
  schedulers: SchedulerJson[];
}

export interface SchedulerJson {
  /** The scheduler id (BullMQ ≥ 5.16), or the legacy repeatable's key. */
  id: string;
  /**
   * scheduler: a job scheduler (upsertJobScheduler); legacy: a repeatable job of BullMQ < 5.16
   * (`repeat` option); broken: a member of `<q>:repeat` without its hash (BullMQ's getter would
   * delete it).
   */
  kind: 'scheduler' | 'legacy' | 'broken';
  pattern: string | null;
  /** Interval in ms (`every`). */
  every: number | null;
  tz: string | null;
  /** The next run (ISO). */
  next: string | null;
  /** The job the scheduler adds: its name, data and opts. */
  template: { name: string | null; data: unknown; opts: unknown };
  /** Jobs added so far (`ic`); null for legacy repeatables, which do not count. */
  iterations: number | null;
  limit: number | null;
  startDate: string | null;
  endDate: string | null;
  offset: number | null;
}

/** `queues schedulers <queue> remove <id> --json`. */
export interface SchedulerRemoveJson {
  queue: { prefix: string; name: string; key: string };
  id: string;
  kind: SchedulerJson['kind'];
  dryRun: boolean;
  /** true: removed (with its next delayed job); null in a dry run. */
  removed: boolean | null;
  /** The delayed job it had scheduled next (`repeat:<id>:<ms>`), removed with it. */
  nextJob: string | null;
}

/** One job of a flow. */
export interface FlowNodeJson {
  /** The job's hash key, `<prefix>:<queue>:<id>`. */
  key: string;
  queue: string;
  id: string;
  name: string | null;
  /** missing: a child the parent still lists whose hash is gone. */
  state: JobState | 'unknown' | 'missing';
  /** Children by outcome: pending (dependencies), processed, failed (unsuccessful), ignored. */
  children: { pending: number; processed: number; failed: number; ignored: number };
  /** The children read (at most --children per node). */
  nodes: FlowNodeJson[];
  /** Children not read: over --children, or past --depth / the node budget. */
  more: number;
}

/** `queues flow <queue> <id> --json`: the whole tree from its root, whichever job was asked. */
export interface FlowJson {
  target: string;
  /** The job asked for (`<prefix>:<queue>:<id>`). */
  asked: string;
  root: FlowNodeJson;
  /** Jobs read in all. */
  nodes: number;
  /** A bound was reached (--depth, --children or the 1,000-node budget): some children are counted, not shown. */
  truncated: boolean;
}

export interface SchedulerRemoveResult {
  queue: DiscoveredQueue;
  scheduler: SchedulerEntry;
  /** The delayed job the scheduler queued next, when it is there. */
  nextJob: string | null;
  dryRun: boolean;
  removed: boolean | null;
  plan: string;
}
