import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { registerSecret } from '../redis/secrets.js';
import { findComposeFile, mergeCompose } from './compose.js';
import { ambiguousEnv, envValues, mergeEnvText, mergeGitignore, setEnvValues, type EnvEntry } from './env.js';
import { gitIgnores, gitTracks } from './git.js';
import { usageError } from '../errors.js';
import { maskUrlText } from '../redis/secrets.js';
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

  // A value dotenv, Node and Compose would read differently is refused before anything else.
  for (const name of ['REDIS_PASSWORD', ...s.services.map((p) => p.urlVar)]) {
    const bad = ambiguousEnv(envBefore, name);
    if (bad)
      throw usageError(
        `${name} in ${envPath} is read differently by dotenv/Node and Docker Compose: ${bad.why}`,
        `${bad.hint}; then run init again`,
      );
  }
  const updates: Record<string, string> = {};
  let password: string | undefined;
  if (s.services.length > 0 && s.password) {
    // An empty REDIS_PASSWORD is a missing one (compose's :? check refuses it anyway).
    password = have.REDIS_PASSWORD || makePassword();
    if (have.REDIS_PASSWORD === '') {
      updates.REDIS_PASSWORD = password;
      notes.push(`REDIS_PASSWORD was empty in ${envPath}: init generated one`);
    }
    registerSecret(password);
  }

  const services: PlannedService[] = s.services.map((p) => {
    const fromEnv = Number(have[p.portVar]);
    const port = Number.isInteger(fromEnv) && fromEnv >= 1 && fromEnv <= 65535 ? fromEnv : p.hostPort;
    const derived = localUrl(password, port);
    let url = have[p.urlVar] ?? derived;
    const cur = have[p.urlVar];
    if (cur !== undefined && cur !== derived) {
      const m = /^redis:\/\/(?:default:([^@]*)@)?127\.0\.0\.1:(\d+)$/.exec(cur);
      const pw = m ? decodeURIComponent(m[1] ?? '') : undefined;
      if (m && (pw === (have.REDIS_PASSWORD ?? '') || pw === password)) {
        // The URL init derived earlier: follow the user's REDIS_PORT (or the new password).
        url = derived;
        updates[p.urlVar] = derived;
        notes.push(`${p.urlVar} in ${envPath} updated to port ${port} (from ${p.portVar})`);
      } else {
        const where = /^[a-z]+:\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(cur)?.[1] ?? 'another server';
        notes.push(
          `${p.urlVar} in ${envPath} points at ${maskUrlText(where)}, not at the new service (127.0.0.1:${port}); kept: change it to ${maskUrlText(derived)} to use ${p.name}`,
        );
      }
    }
    return { name: p.name, role: p.role, port, conf: p.confPath, url, urlVar: p.urlVar };
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
  const env = mergeEnvText(
    envBefore === null || Object.keys(updates).length === 0 ? envBefore : setEnvValues(envBefore, updates),
    entries,
    header,
  );
  const envSecrets =
    entries.filter((e) => e.secret && env.added.includes(e.name)).length + (updates.REDIS_PASSWORD ? 1 : 0);
  const envTracked = envSecrets > 0 && gitTracks(dir, envPath) === true;
  files.push(
    fileAt(
      dir,
      envPath,
      env.text,
      0o600,
      env.added.length || Object.keys(updates).length
        ? [
            env.added.length ? `added ${env.added.join(', ')}` : '',
            Object.keys(updates).length ? `updated ${Object.keys(updates).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; ')
        : 'mode set to 0600',
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
  const gitignore = mergeGitignore(readText(resolve(dir, '.gitignore')), ignoreName, (f) =>
    gitIgnores(dir, f),
  );
  files.push(fileAt(dir, '.gitignore', gitignore.text, null, `${gitignore.added.join(', ')} added`));

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
    envTracked,
  };
}
