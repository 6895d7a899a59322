import type { Use } from '../../doctor/facts.js';
import type { UseDecision } from '../../doctor/fitness.js';
import type { SentinelSummary } from '../../doctor/sentinel.js';
import type { CheckResult, Summary } from '../../doctor/types.js';
import type { ServerFacts } from '../../redis/info.js';
import type { Provider } from '../../redis/provider.js';
import type { GateThresholds } from '../../doctor/gate.js';
import type { CommonFlags } from '../connection.js';

// doctor's flag types in one place (index, options and render import them; the result type,
// DoctorResult, lives with the run in src/doctor/run.ts because `init --up` runs doctor too).

/** doctor's own flags, as commander hands them over (strings), and their checked form. */
export interface DoctorFlags extends CommonFlags {
  use?: string;
  failOn?: string;
  wait?: string;
  format?: string;
  config?: string;
  target?: string;
  project?: string;
  minHitRatio?: string;
  maxMemoryPct?: string;
  maxFailedJobs?: string;
  maxWaitingAge?: string;
  queues?: string;
  maxFork?: string;
  wide?: boolean;
}

export type Format = 'text' | 'json' | 'junit';
export type FailOn = 'warn' | 'fail';

export interface DoctorSettings {
  use?: Use;
  failOn?: FailOn;
  waitSeconds: number;
  format: Format;
  gate: GateThresholds;
  queues?: string[];
  forkWarnMs?: number;
}

/** `doctor --json` (README "doctor --json"): the run's result as it is printed. */
export interface DoctorJson {
  target: string;
  /** Only for a Sentinel target: the master, the primary the sentinels agree on, the sentinels. */
  sentinel?: SentinelSummary;
  provider: Provider;
  server: ServerFacts | null;
  use: UseDecision | null;
  failOn: FailOn;
  checks: CheckResult[];
  summary: Summary;
  ok: boolean;
}
