import type { DoctorResult } from '../doctor/run.js';
import type { ComposeConflict } from './compose.js';
import type { WireResult } from './wire.js';
import type { FileChange } from './write.js';

// The scaffold's shared shapes: the plan (plan.ts builds it, content.ts, up.ts and fallback.ts read
// it) and what --up did. One module so plan ↔ content and up ↔ fallback do not import each other.

export interface PlannedFile extends FileChange {
  /** What happens to it, in a few words (never a secret). */
  summary: string;
}

export interface PlannedService {
  name: string;
  role: 'cache' | 'queue';
  /** The host port in effect (REDIS_PORT from .env wins over --port). */
  port: number;
  conf: string;
  /** The URL apps on this machine use; carries the real password: never print it unmasked. */
  url: string;
  urlVar: string;
}

export interface InitPlan {
  dir: string;
  composeFile: string | null;
  envFile: string;
  files: PlannedFile[];
  conflicts: Array<ComposeConflict & { file: string }>;
  services: PlannedService[];
  password: string | undefined;
  notes: string[];
  wire: WireResult;
  adopted: string[];
  /** What each compose edit is for. */
  reasons: string[];
}

/** What --up did: how it started the services, and what doctor found afterwards. */
export interface UpResult {
  method: 'docker' | 'redis-server' | 'none';
  ok: boolean;
  message: string;
  services: Array<{ name: string; port: number; pid: number | null }>;
  doctor: DoctorResult[];
}

export interface UpOptions {
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** How long to wait for the health check to pass. */
  healthMs: number;
  /** Asks before starting redis-server instead; undefined: non-interactive, start it. */
  confirm?: (message: string) => Promise<boolean>;
  /** The compose image: a valkey image starts valkey-server in the fallback when it is on PATH. */
  image?: string;
}
