import type { DoctorResult } from '../doctor/run.js';
import { redact } from '../redis/secrets.js';
import { printProgress } from '../ui/output.js';
import type { InitPlan, UpOptions, UpResult } from './types.js';

export type Exec = typeof import('execa').execa;

export const tail = (text: string): string => redact(text.trim().split('\n').slice(-3).join(' | '));

/** `docker compose version` answers only where the compose plugin is installed. */
export async function composeMissing(
  execa: Exec,
  dir: string,
  env: UpOptions['env'],
): Promise<string | null> {
  const r = await execa('docker', ['compose', 'version'], { cwd: dir, env, reject: false, timeout: 15_000 });
  if ((r as { code?: string }).code === 'ENOENT' || (r.failed && r.exitCode === undefined))
    return 'docker is not on PATH';
  if (r.exitCode !== 0)
    return `docker compose does not work here (${tail(r.stderr || r.stdout) || `exit ${r.exitCode}`})`;
  return null;
}

/** docker compose ps --format json prints one object per line (newer) or one array (older). */
export function parseComposePs(stdout: string): Array<{ Service?: string; State?: string; Health?: string }> {
  const text = stdout.trim();
  if (text === '') return [];
  if (text.startsWith('[')) return JSON.parse(text) as Array<{ Service?: string }>;
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { Service?: string });
}

/**
 * Wait (up to o.healthMs) until every named service's health check passes; null when they do,
 * else why not. A service that exits or turns unhealthy ends the wait at once. Shared by
 * `init --up` and `init --topology sentinel --up`.
 */
export async function waitHealthy(
  execa: Exec,
  base: string[],
  names: string[],
  dir: string,
  o: UpOptions,
): Promise<string | null> {
  const until = Date.now() + o.healthMs;
  for (;;) {
    const r = await execa('docker', [...base, 'ps', '--format', 'json', ...names], {
      cwd: dir,
      env: o.env,
      reject: false,
      timeout: 15_000,
    });
    if (r.exitCode !== 0) return `docker compose ps failed: ${tail(r.stderr)}`;
    let rows: ReturnType<typeof parseComposePs>;
    try {
      rows = parseComposePs(r.stdout);
    } catch {
      return 'docker compose ps printed something that is not JSON';
    }
    const states = names.map((n) => rows.find((row) => row.Service === n));
    const bad = states.find(
      (row) => row && (row.Health === 'unhealthy' || ['exited', 'dead'].includes(row.State ?? '')),
    );
    if (bad)
      return `${bad.Service} is ${bad.Health === 'unhealthy' ? 'unhealthy' : bad.State}: see docker compose logs ${bad.Service}`;
    if (states.every((row) => row?.Health === 'healthy')) return null;
    if (Date.now() > until)
      return `not healthy after ${Math.round(o.healthMs / 1000)} s: see docker compose logs ${names.join(' ')}`;
    await new Promise((r2) => setTimeout(r2, 1000));
  }
}

async function checkWithDoctor(plan: InitPlan, o: UpOptions): Promise<DoctorResult[]> {
  const { resolveTarget } = await import('../redis/target.js');
  const { runDoctor } = await import('../doctor/run.js');
  const results: DoctorResult[] = [];
  for (const svc of plan.services)
    // The service's own role: `init --use queue --up` must not be judged (and advised) as a cache.
    results.push(
      await runDoctor(resolveTarget({ url: svc.url, timeout: o.timeoutMs }, {}, plan.dir), {
        use: svc.role,
        useSource: 'flag',
      }),
    );
  return results;
}

/**
 * --up: docker compose up -d <services>, wait for the health check, then the doctor ladder.
 * Without Docker Compose, offer redis-server with the generated config (see fallback.ts).
 */
export async function bringUp(plan: InitPlan, o: UpOptions): Promise<UpResult> {
  const { execa } = await import('execa');
  const names = plan.services.map((s) => s.name);
  const services = plan.services.map((s) => ({ name: s.name, port: s.port, pid: null }));
  const missing = await composeMissing(execa, plan.dir, o.env);
  if (missing) {
    const { startLocalServers } = await import('./fallback.js');
    return startLocalServers(plan, missing, o, () => checkWithDoctor(plan, o));
  }
  const base = ['compose', '-f', plan.composeFile ?? 'compose.yaml', '--env-file', plan.envFile];
  printProgress(`starting ${names.join(', ')} with docker compose...\n`);
  const up = await execa('docker', [...base, 'up', '-d', ...names], {
    cwd: plan.dir,
    env: o.env,
    reject: false,
    timeout: 600_000,
  });
  if (up.exitCode !== 0)
    return {
      method: 'docker',
      ok: false,
      message: `docker compose up failed: ${tail(up.stderr || up.stdout)}`,
      services,
      doctor: [],
    };
  printProgress(`waiting for the health check of ${names.join(', ')}...\n`);
  const unhealthy = await waitHealthy(execa, base, names, plan.dir, o);
  if (unhealthy) return { method: 'docker', ok: false, message: unhealthy, services, doctor: [] };
  const doctor = await checkWithDoctor(plan, o);
  const ok = doctor.every((d) => d.ok);
  return {
    method: 'docker',
    ok,
    message: ok ? `${names.join(', ')} healthy and reachable` : 'started, but doctor found a problem',
    services,
    doctor,
  };
}
