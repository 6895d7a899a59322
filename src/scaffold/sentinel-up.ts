import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DoctorResult } from '../doctor/run.js';
import { printProgress } from '../ui/output.js';
import type { TopologyPlan } from './sentinel-init.js';
import type { TopologyNode } from './sentinel-topology.js';
import type { UpOptions, UpResult } from './types.js';
import { listening, quote } from './fallback.js';
import { composeMissing, tail, waitHealthy } from './up.js';

/**
 * `init --topology sentinel --up`: docker compose up -d and wait for the health checks; without
 * Docker Compose, the same six nodes as local processes from the same configs
 * (`redis-server <conf> --sentinel` for the sentinels, on a writable copy: sentinel rewrites it).
 * Then doctor through the sentinels.
 */

/**
 * Sentinels find each other and the replicas through the primary (hello messages every 2 s):
 * a doctor run right after the start would see NOQUORUM. Wait (bounded) until every sentinel
 * knows the two others and both replicas.
 */
async function waitDiscovered(plan: TopologyPlan, o: UpOptions): Promise<void> {
  const { resolveTarget } = await import('../redis/target.js');
  const { connectSentinel, toRecord } = await import('../redis/sentinel.js');
  const target = resolveTarget({ url: plan.url, timeout: o.timeoutMs }, {}, plan.dir);
  const until = Date.now() + Math.min(o.healthMs, 30_000);
  // 'gone': no sentinel answers at all, so waiting is pointless (doctor will say why).
  const ready = async (): Promise<'yes' | 'no' | 'gone'> => {
    let reached = 0;
    let all = true;
    for (const addr of target.sentinel?.sentinels ?? []) {
      try {
        const c = await connectSentinel(target, addr);
        reached++;
        try {
          const m = toRecord(await c.call('SENTINEL', 'MASTER', plan.options.master));
          if (Number(m['num-other-sentinels']) < 2 || Number(m['num-slaves']) < 2) all = false;
        } finally {
          c.disconnect();
        }
      } catch {
        all = false;
      }
    }
    return reached === 0 ? 'gone' : all ? 'yes' : 'no';
  };
  while (Date.now() < until) {
    if ((await ready()) !== 'no') return;
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function doctorThrough(plan: TopologyPlan, o: UpOptions): Promise<DoctorResult[]> {
  await waitDiscovered(plan, o);
  const { resolveTarget } = await import('../redis/target.js');
  const { runDoctor } = await import('./../doctor/run.js');
  return [await runDoctor(resolveTarget({ url: plan.url, timeout: o.timeoutMs }, {}, plan.dir))];
}

export async function bringUpTopology(plan: TopologyPlan, o: UpOptions): Promise<UpResult> {
  const { execa } = await import('execa');
  const services = plan.nodes.map((n) => ({ name: n.name, port: n.port, pid: null as number | null }));
  const missing = await composeMissing(execa, plan.dir, o.env);
  if (missing) return startLocal(plan, missing, o, services);
  const base = ['compose', '-f', plan.composeFile, '--env-file', plan.envFile];
  printProgress('starting the sentinel set-up with docker compose...\n');
  const up = await execa('docker', [...base, 'up', '-d'], {
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
  const unhealthy = await waitHealthy(
    execa,
    base,
    plan.nodes.map((n) => n.name),
    plan.dir,
    o,
  );
  if (unhealthy) return { method: 'docker', ok: false, message: unhealthy, services, doctor: [] };
  const doctor = await doctorThrough(plan, o);
  const ok = doctor.every((d) => d.ok);
  return {
    method: 'docker',
    ok,
    message: ok
      ? 'sentinel set-up healthy, primary reachable through the sentinels'
      : 'started, but doctor found a problem',
    services,
    doctor,
  };
}

async function startLocal(
  plan: TopologyPlan,
  why: string,
  o: UpOptions,
  services: UpResult['services'],
): Promise<UpResult> {
  const { execa } = await import('execa');
  const has = await execa('redis-server', ['--version'], { env: o.env, reject: false, timeout: 10_000 });
  if (has.exitCode !== 0)
    return {
      method: 'none',
      ok: false,
      message: `Docker Compose is not available (${why}) and redis-server is not on PATH: install Docker with the compose plugin, then run docker compose -f ${plan.composeFile} up -d`,
      services,
      doctor: [],
    };
  const ports = plan.nodes.map((n) => n.port).join(', ');
  if (
    o.confirm &&
    !(await o.confirm(
      `Docker Compose is not available (${why}). Start the six nodes as redis-server processes on 127.0.0.1:${ports} instead?`,
    ))
  )
    return {
      method: 'none',
      ok: true,
      message: `not started: Docker Compose is not available (${why})`,
      services,
      doctor: [],
    };
  printProgress(`Docker Compose is not available (${why}): starting redis-server on 127.0.0.1:${ports}...\n`);
  const root = mkdtempSync(join(tmpdir(), 'redis-ops-sentinel-'));
  // Data nodes first (the sentinels monitor the primary), then the sentinels.
  const order = [
    ...plan.nodes.filter((n) => n.role !== 'sentinel'),
    ...plan.nodes.filter((n) => n.role === 'sentinel'),
  ];
  for (const n of order) {
    const started = await startNode(plan, n, root, o);
    if ('error' in started)
      return { method: 'redis-server', ok: false, message: started.error, services, doctor: [] };
    const row = services.find((s) => s.name === n.name);
    if (row) row.pid = started.pid;
  }
  const doctor = await doctorThrough(plan, o);
  const ok = doctor.every((d) => d.ok);
  return {
    method: 'redis-server',
    ok,
    message: `${ok ? 'sentinel set-up running' : 'started, but doctor found a problem'} (Docker Compose is not available: ${why}); stop it with: kill ${services.map((s) => s.pid).join(' ')}`,
    services,
    doctor,
  };
}

async function startNode(
  plan: TopologyPlan,
  n: TopologyNode,
  root: string,
  o: UpOptions,
): Promise<{ pid: number } | { error: string }> {
  if (await listening(n.port))
    return {
      error: `port ${n.port} is already in use (${n.name}): stop what runs there, or pick other ports (--port, --sentinel-port)`,
    };
  const dir = join(root, n.name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pw = plan.password;
  const local = ['bind 127.0.0.1', `dir ${dir}`, `logfile ${join(dir, 'redis.log')}`, 'daemonize no'];
  let args: string[];
  let input: string | undefined;
  if (n.role === 'sentinel') {
    // A writable copy (sentinel rewrites its config), mode 0600: it holds the password.
    const lines = [readFileSync(resolve(plan.dir, n.conf), 'utf8'), ...local];
    if (pw)
      lines.push(
        `requirepass ${quote(pw)}`,
        `sentinel sentinel-pass ${quote(pw)}`,
        `sentinel auth-pass ${plan.options.master} ${quote(pw)}`,
      );
    const file = join(dir, 'sentinel.conf');
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    args = [file, '--sentinel'];
  } else {
    // The password on stdin ("redis-server -"), never on a command line where ps shows it.
    const lines = [`include ${resolve(plan.dir, n.conf)}`, ...local, 'appendonly no'];
    if (pw) lines.push(`requirepass ${quote(pw)}`, `masterauth ${quote(pw)}`);
    args = ['-'];
    input = `${lines.join('\n')}\n`;
  }
  const child = spawn('redis-server', args, {
    cwd: plan.dir,
    env: o.env,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const state: { exited: number | null } = { exited: null };
  child.on('exit', (code) => {
    state.exited = code ?? -1;
  });
  child.stdin.end(input ?? '');
  const until = Date.now() + 10_000;
  while (!(await listening(n.port))) {
    if (state.exited !== null)
      return { error: `${n.name} exited (code ${state.exited}): see ${join(dir, 'redis.log')}` };
    if (Date.now() > until)
      return { error: `${n.name} did not listen on ${n.port} within 10 s: see ${join(dir, 'redis.log')}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  // They outlive init on purpose: the user asked for a running set-up.
  child.unref();
  return { pid: child.pid ?? 0 };
}
