import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DoctorResult } from '../doctor/run.js';
import { printProgress } from '../ui/output.js';
import type { InitPlan, PlannedService, UpOptions, UpResult } from './types.js';

/** Something accepts TCP connections on 127.0.0.1:port (also used by sentinel-up.ts). */
export async function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

async function onPath(binary: string, env: UpOptions['env']): Promise<boolean> {
  const { execa } = await import('execa');
  const r = await execa(binary, ['--version'], { env, reject: false, timeout: 10_000 });
  return r.exitCode === 0;
}

/**
 * The server binary for the image: valkey-server for a valkey image when it is installed,
 * else redis-server (Valkey speaks the same protocol and reads the same config), said out loud.
 */
async function pickServer(o: UpOptions): Promise<{ binary: string; note?: string } | undefined> {
  const valkey = /valkey/i.test(o.image ?? '');
  if (valkey && (await onPath('valkey-server', o.env))) return { binary: 'valkey-server' };
  if (!(await onPath('redis-server', o.env))) return undefined;
  return valkey
    ? {
        binary: 'redis-server',
        note: 'valkey-server is not on PATH: redis-server stands in for the valkey image',
      }
    : { binary: 'redis-server' };
}

// Redis config strings: double quotes with \" and \\ escaped.
export const quote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Start one redis-server in the background with the generated config. The password and the
 * overrides (loopback only, data dir) go in on stdin ("redis-server -"), so the password is
 * never on a command line where ps shows it.
 */
async function startOne(
  plan: InitPlan,
  svc: PlannedService,
  o: UpOptions,
  binary: string,
): Promise<{ pid: number } | { error: string }> {
  if (await listening(svc.port))
    return {
      error: `port ${svc.port} is already in use: stop what runs there, or set ${svc.name === 'redis' ? 'REDIS_PORT' : 'the port variable'} in ${plan.envFile}`,
    };
  const dataDir = join(tmpdir(), `redis-ops-${svc.name}-${svc.port}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lines = [
    `include ${resolve(plan.dir, svc.conf)}`,
    `port ${svc.port}`,
    'bind 127.0.0.1',
    `dir ${dataDir}`,
    `logfile ${join(dataDir, 'redis.log')}`,
    'daemonize no',
  ];
  if (plan.password) lines.push(`requirepass ${quote(plan.password)}`);
  const child = spawn(binary, ['-'], {
    cwd: plan.dir,
    env: o.env,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // A box, not a bare `let`: TypeScript cannot see the callback assign it inside the loop.
  const state: { exited: number | null } = { exited: null };
  child.on('exit', (code) => {
    state.exited = code ?? -1;
  });
  child.stdin.end(`${lines.join('\n')}\n`);
  const until = Date.now() + 10_000;
  while (!(await listening(svc.port))) {
    if (state.exited !== null)
      return { error: `${binary} exited (code ${state.exited}): see ${join(dataDir, 'redis.log')}` };
    if (Date.now() > until)
      return {
        error: `${binary} did not listen on ${svc.port} within 10 s: see ${join(dataDir, 'redis.log')}`,
      };
    await new Promise((r) => setTimeout(r, 50));
  }
  // It outlives init on purpose: the user asked for a running server.
  child.unref();
  return { pid: child.pid ?? 0 };
}

/**
 * No Docker Compose here: say so, and if redis-server is on PATH, start it with the generated
 * config (after asking on a terminal; without one, --up already said "start it").
 */
export async function startLocalServers(
  plan: InitPlan,
  why: string,
  o: UpOptions,
  runDoctor: () => Promise<DoctorResult[]>,
): Promise<UpResult> {
  const services = plan.services.map((s) => ({ name: s.name, port: s.port, pid: null as number | null }));
  const none = (message: string, ok = false): UpResult => ({
    method: 'none',
    ok,
    message,
    services,
    doctor: [],
  });
  const server = await pickServer(o);
  if (!server) {
    return none(
      `Docker Compose is not available (${why}) and redis-server is not on PATH: install Docker with the compose plugin, then run docker compose up -d ${plan.services.map((s) => s.name).join(' ')}`,
    );
  }
  const ports = plan.services.map((s) => s.port).join(', ');
  if (
    o.confirm &&
    !(await o.confirm(
      `Docker Compose is not available (${why}). Start ${server.binary} on 127.0.0.1:${ports} with the generated config instead?${server.note ? ` (${server.note})` : ''}`,
    ))
  ) {
    return none(`not started: Docker Compose is not available (${why})`, true);
  }
  if (server.note) printProgress(`${server.note}\n`);
  printProgress(
    `Docker Compose is not available (${why}): starting ${server.binary} on 127.0.0.1:${ports}...\n`,
  );
  for (const [i, svc] of plan.services.entries()) {
    const started = await startOne(plan, svc, o, server.binary);
    if ('error' in started)
      return { method: 'redis-server', ok: false, message: started.error, services, doctor: [] };
    const row = services[i];
    if (row) row.pid = started.pid;
  }
  const doctor = await runDoctor();
  const ok = doctor.every((d) => d.ok);
  const pids = services.map((s) => s.pid).join(' ');
  return {
    method: 'redis-server',
    ok,
    message: `${ok ? `${server.binary} running` : `${server.binary} started, but doctor found a problem`} (Docker Compose is not available: ${why}${server.note ? `; ${server.note}` : ''}); stop it with: kill ${pids}`,
    services,
    doctor,
  };
}
