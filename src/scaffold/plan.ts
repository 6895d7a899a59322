import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { registerSecret } from '../redis/secrets.js';
import { findComposeFile, mergeCompose } from './compose.js';
import { envValues, mergeEnvText, mergeGitignore, type EnvEntry } from './env.js';
import { remoteEntries, renderConf, scaffoldNotes } from './content.js';
import type { InitSettings } from './settings.js';
import type { InitPlan, PlannedFile, PlannedService } from './types.js';
import { readMode } from './write.js';
import type { WireResult } from './wire.js';

/** A strong password that is safe in URLs and in Compose files (base64url has no $, @ or :). */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

const toPosix = (p: string): string => p.split(sep).join('/');

function readText(abs: string): string | null {
  return existsSync(abs) ? readFileSync(abs, 'utf8') : null;
}

function fileAt(dir: string, path: string, after: string, mode: number | null, summary: string): PlannedFile {
  const abs = resolve(dir, path);
  const before = readText(abs);
  const modeBefore = before === null ? null : readMode(abs);
  return {
    path: toPosix(isAbsolute(path) ? relative(dir, abs) : path),
    abs,
    before,
    after,
    mode: mode ?? modeBefore ?? 0o644,
    modeBefore,
    summary,
  };
}

const localUrl = (password: string | undefined, port: number): string =>
  `redis://${password ? `default:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`;

/**
 * Everything init would write, computed from the settings and the files as they are: nothing
 * is written here. Existing .env values win: a second run finds every variable present and the
 * service identical, so it plans no change.
 */
export interface PlanOptions {
  force?: boolean;
  adopt?: string;
  wire?: string[];
  serviceGiven?: boolean;
}

export function planInit(
  s: InitSettings,
  dir: string,
  opts: PlanOptions | boolean = {},
  makePassword = generatePassword,
): InitPlan {
  const o: PlanOptions = typeof opts === 'boolean' ? { force: opts } : opts;
  const force = o.force === true;
  const envPath = s.envFile;
  const envAbs = resolve(dir, envPath);
  const envBefore = readText(envAbs);
  const have = envValues(envBefore);
  const notes: string[] = [];
  const files: PlannedFile[] = [];
  const conflicts: InitPlan['conflicts'] = [];
  let wire: WireResult = { wired: [], candidates: [], notes: [] };
  let reasons: string[] = [];
  let adopted: string[] = [];

  let password: string | undefined;
  if (s.services.length > 0 && s.password) {
    password = have.REDIS_PASSWORD ?? makePassword();
    registerSecret(password);
    if (password === '')
      notes.push(
        `REDIS_PASSWORD is empty in ${envPath}: compose will refuse to start the service; set a value`,
      );
  }

  const services: PlannedService[] = s.services.map((p) => {
    const fromEnv = Number(have[p.portVar]);
    const port = Number.isInteger(fromEnv) && fromEnv >= 1 && fromEnv <= 65535 ? fromEnv : p.hostPort;
    return {
      name: p.name,
      role: p.role,
      port,
      conf: p.confPath,
      url: have[p.urlVar] ?? localUrl(password, port),
      urlVar: p.urlVar,
    };
  });
  for (const svc of services) registerSecret(svc.url);

  // Compose file and one config file per service.
  let composeFile: string | null = null;
  if (s.services.length > 0) {
    composeFile = findComposeFile(dir, s.compose);
    const abs = resolve(dir, composeFile);
    const before = readText(abs);
    const merge = mergeCompose(before, s, composeFile, o);
    wire = merge.wire;
    notes.push(...merge.notes);
    for (const c of merge.conflicts) conflicts.push({ ...c, file: composeFile });
    const parts = [
      merge.added.length ? `service ${merge.added.join(', ')} added` : '',
      merge.adopted.length ? `service ${merge.adopted.join(', ')} hardened in place` : '',
      merge.wire.wired.length ? `${merge.wire.wired.map((w) => w.service).join(', ')} wired` : '',
    ].filter(Boolean);
    files.push(fileAt(dir, composeFile, merge.text, null, parts.length ? parts.join('; ') : 'volumes added'));
    reasons = merge.reasons;
    adopted = merge.adopted;
    for (const p of s.services) {
      if (!merge.confFor.includes(p.name)) continue;
      const conf = fileAt(dir, p.confPath, renderConf(p, s), null, `${p.role} settings for ${p.name}`);
      if (conf.before !== null && conf.before !== conf.after && !force) {
        conflicts.push({ service: p.name, current: conf.before, planned: conf.after, file: p.confPath });
      } else files.push(conf);
    }
  }

  // .env and .env.example: local values first, then the remote provider's shapes.
  const entries: EnvEntry[] = [];
  if (password !== undefined)
    entries.push({ name: 'REDIS_PASSWORD', value: password, example: 'change-me', secret: true });
  for (const [i, svc] of services.entries()) {
    const plan = s.services[i];
    if (!plan) continue;
    entries.push({
      name: plan.portVar,
      value: String(svc.port),
      example: String(plan.hostPort),
      secret: false,
    });
    entries.push({
      name: svc.urlVar,
      value: svc.url,
      example: localUrl(s.password ? 'change-me' : undefined, plan.hostPort),
      secret: true,
    });
  }
  for (const remote of remoteEntries(s)) {
    const local = entries.find((e) => e.name === remote.name);
    if (local) {
      // --with-local: this machine talks to the local service; .env.example shows production.
      local.exampleComment = `production (${s.provider}); for development: ${local.example}`;
      local.example = remote.example;
    } else entries.push(remote);
  }
  const header = `redis-ops init (${[s.provider, s.withLocal && s.provider !== 'local' ? '+ local' : '', s.use, s.profile].filter(Boolean).join(', ')})`;
  const env = mergeEnvText(envBefore, entries, header);
  files.push(
    fileAt(
      dir,
      envPath,
      env.text,
      0o600,
      env.added.length ? `added ${env.added.join(', ')}` : 'mode set to 0600',
    ),
  );
  const example = mergeEnvText(
    readText(resolve(dir, '.env.example')),
    entries.map((e) => ({ name: e.name, value: e.example, comment: e.exampleComment })),
    header,
  );
  files.push(
    fileAt(
      dir,
      '.env.example',
      example.text,
      null,
      example.added.length ? `added ${example.added.join(', ')}` : '',
    ),
  );
  const ignoreName = toPosix(relative(dir, envAbs));
  const gitignore = mergeGitignore(readText(resolve(dir, '.gitignore')), ignoreName);
  files.push(fileAt(dir, '.gitignore', gitignore.text, null, `${ignoreName} added`));

  notes.push(...scaffoldNotes(s, services));
  return {
    dir,
    composeFile,
    envFile: envPath,
    files,
    conflicts,
    services,
    password,
    notes,
    wire,
    reasons,
    adopted,
  };
}
