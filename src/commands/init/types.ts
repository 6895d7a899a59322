import type { InitAnswers } from '../../scaffold/settings.js';
import type { UpResult } from '../../scaffold/types.js';
import type { DoctorJson } from '../doctor/types.js';

// init's flag and result types in one place, so index.ts and render.ts do not import each other.

export interface InitOptions extends InitAnswers {
  dir?: string;
  /** App services to wire, comma-separated, or "none". */
  wire?: string;
  dryRun?: boolean;
  force?: boolean;
  up?: boolean;
  yes?: boolean;
  json?: boolean;
  color?: boolean;
  timeout?: string;
  dotenv?: string;
  quiet?: boolean;
  /** standalone (default) | sentinel: src/scaffold/sentinel-init.ts. */
  topology?: string;
  sentinelPort?: string;
  master?: string;
}

export interface InitFile {
  path: string;
  action: 'create' | 'update' | 'unchanged';
  summary: string;
  /** Unified diff with secrets masked (only computed for --dry-run). */
  diff?: string;
  /** What each change in the file is for (the compose file's edits). */
  reasons?: string[];
}

export interface InitResult {
  dir: string;
  dryRun: boolean;
  provider: string;
  use: string;
  profile: string;
  image: string;
  envFile: string;
  services: Array<{ name: string; role: string; port: number; url: string; urlVar: string; conf: string }>;
  files: InitFile[];
  changed: boolean;
  notes: string[];
  /** App services wired to Redis and what they will see (passwords masked). */
  wired: Array<{ service: string; vars: Record<string, string> }>;
  /** Existing Redis services hardened in place. */
  adopted: string[];
  up: UpResult | null;
}

/** `init --json` (README "init --json"): diffs only on --dry-run; secrets masked. */
export interface InitJson {
  dir: string;
  dryRun: boolean;
  provider: string;
  use: string;
  profile: string;
  image: string;
  services: InitResult['services'];
  files: Array<{
    path: string;
    action: InitFile['action'];
    summary: string;
    reasons?: string[];
    diff?: string;
  }>;
  changed: boolean;
  notes: string[];
  adopted: InitResult['adopted'];
  wired: InitResult['wired'];
  up: {
    method: UpResult['method'];
    ok: boolean;
    message: string;
    services: UpResult['services'];
    doctor: DoctorJson[];
  } | null;
}
