import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { providerFromHost, providerNeedsTls } from '../redis/provider.js';
import { registerSecret } from '../redis/secrets.js';
import type { Env } from '../redis/target.js';
import { checkCompose, composeFileNames, fromFindings, overrideFileNames, type Finding } from './compose.js';
import type { Use } from './facts.js';
import { pass, skip, type CheckResult } from './types.js';

/** Project checks: how the project in a directory is wired to Redis (.env, compose, git). */
export interface ProjectFiles {
  dir: string;
  compose?: { name: string; text: string };
  /** compose.override.yaml and the like: Compose merges it over the file. */
  override?: { name: string; text: string };
  env?: Env;
  example?: Env;
}

function readEnvFile(path: string): Env | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return parseEnv(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

/** The project files in dir; undefined when there is no project (no compose file, no .env). */
export function readProject(dir: string, force = false): ProjectFiles | undefined {
  const composeName = composeFileNames.find((n) => existsSync(join(dir, n)));
  const env = readEnvFile(join(dir, '.env'));
  const example = readEnvFile(join(dir, '.env.example'));
  if (!composeName && !env && !example && !force) return undefined;
  for (const [k, v] of Object.entries(env ?? {})) if (/PASS|SECRET|TOKEN|URL/i.test(k)) registerSecret(v);
  const overrideName = overrideFileNames.find((n) => existsSync(join(dir, n)));
  return {
    dir,
    compose: composeName
      ? { name: composeName, text: readFileSync(join(dir, composeName), 'utf8') }
      : undefined,
    override: overrideName
      ? { name: overrideName, text: readFileSync(join(dir, overrideName), 'utf8') }
      : undefined,
    env,
    example,
  };
}

/** A file the compose file names (env_file, extends), read relative to the project. */
function readInside(dir: string, path: string): string | undefined {
  const abs = resolve(dir, path);
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function urlParts(raw: string): { scheme: string; host: string; port: string; password: string } | undefined {
  try {
    const u = new URL(raw);
    return {
      scheme: u.protocol.replace(/:$/, ''),
      host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: u.port || '6379',
      password: decodeURIComponent(u.password),
    };
  } catch {
    return undefined;
  }
}

export function checkProjectEnv(env: Env | undefined): CheckResult {
  const id = 'project.env';
  if (!env) return skip(id, 'no .env file');
  const findings: Finding[] = [];
  const url = env.REDIS_URL;
  const parts = url ? urlParts(url) : undefined;
  if (url && !parts)
    findings.push({
      status: 'fail',
      message: 'REDIS_URL in .env is not a URL',
      hint: 'use redis://[user:password@]host:port',
    });
  if (parts && (parts.scheme === 'https' || parts.scheme === 'http')) {
    findings.push({
      status: 'fail',
      message: `REDIS_URL is an ${parts.scheme}:// URL${/upstash\.io$/.test(parts.host) ? ' (the Upstash REST URL)' : ''}: Redis clients need redis:// or rediss://`,
      hint: 'use the rediss:// URL from the Upstash console as REDIS_URL; keep the REST URL in UPSTASH_REDIS_REST_URL',
    });
  } else if (parts) {
    if (env.REDIS_HOST && env.REDIS_HOST !== parts.host)
      findings.push({
        status: 'warn',
        message: `REDIS_URL points at ${parts.host} but REDIS_HOST is ${env.REDIS_HOST}`,
        hint: 'keep REDIS_URL and REDIS_HOST/PORT/PASSWORD in agreement, or keep only REDIS_URL',
      });
    if (env.REDIS_PORT && env.REDIS_PORT !== parts.port)
      findings.push({
        status: 'warn',
        message: `REDIS_URL uses port ${parts.port} but REDIS_PORT is ${env.REDIS_PORT}`,
        hint: 'keep REDIS_URL and REDIS_HOST/PORT/PASSWORD in agreement, or keep only REDIS_URL',
      });
    if (env.REDIS_PASSWORD && env.REDIS_PASSWORD !== parts.password)
      findings.push({
        status: 'warn',
        message: 'REDIS_URL and REDIS_PASSWORD hold different passwords',
        hint: 'keep REDIS_URL and REDIS_HOST/PORT/PASSWORD in agreement, or keep only REDIS_URL',
      });
  }
  const host = parts?.host ?? env.REDIS_HOST;
  const plain = parts ? parts.scheme === 'redis' : !/^(1|true|yes|on)$/i.test(env.REDIS_TLS ?? '');
  const provider = host ? providerFromHost(host) : undefined;
  if (host && provider && plain && providerNeedsTls(provider, host)) {
    findings.push({
      status: 'fail',
      message: `${provider} (${host}) needs TLS, but .env connects in plaintext`,
      hint: parts ? 'use rediss:// instead of redis://' : 'set REDIS_TLS=true',
    });
  }
  if (!url && !env.REDIS_HOST) return pass(id, '.env sets no REDIS_URL or REDIS_HOST');
  return fromFindings(id, findings, '.env: the Redis settings agree');
}

const placeholder =
  /^$|change|example|placeholder|your|xxx|<|\.\.\.|\*\*\*|todo|replace|dummy|secret$|password$|^pass$/i;
const secretName = /PASSWORD|SECRET|TOKEN|_KEY$|PASS$/;

function gitIgnores(dir: string, file: string): Promise<'ignored' | 'tracked' | 'no-git'> {
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, 'check-ignore', '-q', file], { timeout: 5000 }, (err) => {
      if (!err) return resolve('ignored');
      resolve((err as { code?: unknown }).code === 1 ? 'tracked' : 'no-git');
    });
  });
}

export async function checkProjectSecrets(p: ProjectFiles): Promise<CheckResult> {
  const id = 'project.secrets';
  if (!p.env && !p.example) return skip(id, 'no .env or .env.example');
  const findings: Finding[] = [];
  if (p.env) {
    const state = await gitIgnores(p.dir, '.env');
    if (state === 'tracked')
      findings.push({
        status: 'fail',
        message: '.env is not ignored by git: its secrets would be committed',
        hint: 'add .env to .gitignore (and git rm --cached .env if it was committed)',
      });
    if (state === 'no-git') {
      const gi = existsSync(join(p.dir, '.gitignore')) ? readFileSync(join(p.dir, '.gitignore'), 'utf8') : '';
      if (!gi.split(/\r?\n/).some((l) => /^\/?(\.env|\.env\*|\*\.env|\.env\.\*)$/.test(l.trim()))) {
        findings.push({
          status: 'warn',
          message: '.env is not listed in .gitignore',
          hint: 'add .env to .gitignore before the folder becomes a git repository',
        });
      }
    }
  }
  for (const [k, v] of Object.entries(p.example ?? {})) {
    const value = v ?? '';
    const urlPassword = /^rediss?:\/\//.test(value) ? (urlParts(value)?.password ?? '') : '';
    const suspicious =
      (secretName.test(k) && !placeholder.test(value) && value.length >= 8) ||
      (urlPassword !== '' && !placeholder.test(urlPassword));
    // The same placeholder in both files (init's --provider upstash output) is not a leak.
    const copied =
      p.env?.[k] !== undefined &&
      p.env[k] === value &&
      value !== '' &&
      !placeholder.test(urlPassword || value) &&
      (secretName.test(k) || urlPassword !== '');
    if (suspicious || copied)
      findings.push({
        status: 'fail',
        message: `.env.example holds what looks like a real secret in ${k}${copied ? ' (the same value as in .env)' : ''}`,
        hint: `replace it with a placeholder (${k}=change-me) and rotate the secret if it was committed`,
      });
  }
  return fromFindings(
    id,
    findings,
    `${p.env ? '.env is ignored by git' : 'no .env'}${p.example ? '; .env.example holds placeholders only' : ''}`,
  );
}

export async function runProjectChecks(p: ProjectFiles, use: Use | undefined): Promise<CheckResult[]> {
  return [
    checkProjectEnv(p.env),
    p.compose
      ? checkCompose(p.compose.name, p.compose.text, use, {
          env: p.env,
          override: p.override?.text,
          readFile: (path) => readInside(p.dir, path),
        })
      : skip('project.compose', 'no compose file'),
    await checkProjectSecrets(p),
  ];
}
