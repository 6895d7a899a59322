import type { Target } from '../../redis/target.js';
import type { CommonFlags } from '../connection.js';

// flush's flag, option and result types in one place, so run.ts, render.ts and progress.ts do not
// import each other in a circle.

export interface FlushFlags extends CommonFlags {
  pattern?: string;
  dryRun?: boolean;
  yes?: boolean;
  includeQueues?: boolean;
  maxKeys?: string;
  type?: string;
  count?: string;
  rate?: string;
}

export interface FlushOptions {
  target: Target;
  prefixes: string[];
  pattern?: string;
  dryRun: boolean;
  yes: boolean;
  includeQueues: boolean;
  maxKeys?: number;
  type?: string;
  count: number;
  rate?: number;
  /** A person can answer a prompt (stdin and stderr are terminals, no --json). */
  interactive: boolean;
  /** Show progress on stderr (a terminal). */
  progress: boolean;
  /** Memory for names kept between the counting and the deleting pass. */
  retainBytes?: number;
  /** Ask the user to type `expected`; injectable for tests. */
  confirm?: (summary: string, expected: string) => Promise<boolean>;
}

/** connection-lost: run again to finish; failed: the server refused (READONLY, NOPERM, OOM...), fix first. */
/** kept-queues: streaming met BullMQ queues after deleting began; their keys were kept, the rest deleted. */
export type FlushStatus =
  'done' | 'dry-run' | 'interrupted' | 'connection-lost' | 'failed' | 'max-keys' | 'kept-queues';

export interface NodeReport {
  node: string;
  matched: number;
  deleted: number;
}

export interface FlushResult {
  target: string;
  prefixes: string[];
  patterns: string[];
  type: string | null;
  dryRun: boolean;
  status: FlushStatus;
  matched: number;
  deleted: number;
  nodes: NodeReport[];
  durationMs: number;
  sample: string[];
  /** BullMQ queues the prefixes reach (refused unless --include-queues). */
  queues: string[];
  maxKeys: number | null;
  /** Why the run stopped early, already redacted. */
  error: string | null;
  /** What to do about it (null when nothing went wrong). */
  hint: string | null;
  /** UNLINK, or DEL where UNLINK is missing or denied; null when nothing was sent. */
  command: string | null;
  /** SCAN passes over the primaries after the counted names: the final sweep, slot moves. */
  passes: number;
  /** Keys kept because they lie in a BullMQ queue met while streaming. */
  kept: number;
  /** Deleted as scanned, nothing counted first (--yes without --max-keys). */
  streamed: boolean;
}

export interface ProgressState {
  phase: 'counting' | 'deleting' | 'streaming';
  labels: string[];
  scanned: number[];
  deleted: number[];
  startedMs: number;
  nowMs: number;
}

/** `flush --json` (README "flush --json"). */
export interface FlushJson {
  target: string;
  prefixes: string[];
  /** One pattern in the common case; null when several prefixes gave several (see patterns). */
  pattern: string | null;
  patterns: string[];
  type: string | null;
  dryRun: boolean;
  status: FlushStatus;
  matched: number;
  deleted: number;
  nodes: number;
  perNode: NodeReport[];
  durationMs: number;
  sample: string[];
  queues: string[];
  maxKeys: number | null;
  error: string | null;
  hint: string | null;
  command: string | null;
  passes: number;
  /** Keys kept because they lie in a BullMQ queue met while streaming (status kept-queues). */
  kept: number;
  /** true: deleted as scanned (--yes, no --max-keys): matched is what the pass met. */
  streamed: boolean;
}
