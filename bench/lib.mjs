// Shared bench helpers: scratch redis-server processes and timing of whole commands.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = join(root, 'bin', 'redis-ops.js');

export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    if (port !== 6379 && port < 55000) return port;
  }
}

/** A scratch redis-server on a free port in a temp dir; stop() kills it and removes the dir. */
export async function startScratchRedis(config = []) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-ops-bench-'));
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      'save ""',
      'appendonly no',
      `logfile ${join(dir, 'redis.log')}`,
      ...config,
    ].join('\n'),
  );
  const proc = spawn('redis-server', [conf], { stdio: 'ignore' });
  const kill = () => proc.kill('SIGKILL');
  process.on('exit', kill);
  for (let i = 0; i < 300; i++) {
    const ok = await new Promise((r) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 30));
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cli: (...args) =>
      spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', maxBuffer: 1 << 30 }),
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      kill();
      await exited;
      process.off('exit', kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Wall time of a shell command (or argv), in ms; throws when it fails unless allowed. */
export function timeCommand(argv, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---------------------------------------------------------------------------------------------
// The server's floor: how long the server itself was busy with what a tool sent. Any scenario
// can wrap a run in measureFloor(server, run): CONFIG RESETSTAT first, then after the run the
// sum of INFO commandstats usec (the commands the tool sent, minus our own INFO/CONFIG) and the
// server process's CPU time from /proc/<pid>/stat (utime + stime: includes what commandstats
// does not see, e.g. reading sockets and lazy-free). A tool's wall time as a multiple of the
// floor says how much of its time the server was not working for it.

/** utime + stime of a process in ms (Linux /proc; clock ticks are 100 per second on Linux). */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return (ticks * 1000) / 100;
  } catch {
    return null;
  }
}

/** Parse INFO commandstats into { cmd: { calls, usec } }. */
export function parseCommandStats(text) {
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (m) out[m[1]] = { calls: Number(m[2]), usec: Number(m[3]) };
  }
  return out;
}

/** Commands the measuring itself sends: not the tool's. */
const measuring = new Set(['info', 'config|resetstat', 'config']);

/**
 * Run `run()` (async, returns anything) against `server` and return { result, floor } where
 * floor = { commandMs, cpuMs, commands: { cmd: { calls, usec } } }.
 */
export async function measureFloor(server, run) {
  server.cli('CONFIG', 'RESETSTAT');
  const pid = Number(/process_id:(\d+)/.exec(server.cli('INFO', 'server').stdout)?.[1]);
  const cpu0 = processCpuMs(pid);
  const result = await run();
  const cpu1 = processCpuMs(pid);
  const commands = parseCommandStats(server.cli('INFO', 'commandstats').stdout);
  let usec = 0;
  for (const [cmd, s] of Object.entries(commands)) if (!measuring.has(cmd)) usec += s.usec;
  return {
    result,
    floor: {
      commandMs: usec / 1000,
      cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
      commands,
    },
  };
}

/**
 * commandstats counts a command called inside a script twice: in its own line and in the
 * EVAL/EVALSHA that ran it. The floor is the server's time for what the tool sent, so when a
 * tool sent scripts, the commands scripts call are left out and the script's own usec holds
 * them: flush's (SCAN, UNLINK, DEL, EXISTS, TIME: the EVAL peer's and redis-ops' scripts) and
 * stats --keys' (SCAN, TYPE, PTTL, MEMORY USAGE, the *LEN commands, OBJECT FREQ, TIME). Such
 * a command sent on its own beside the scripts is left out too: a few EXISTS or INFO, microseconds.
 */
const nestedInScripts = new Set([
  'scan',
  'unlink',
  'del',
  'exists',
  'time',
  'type',
  'pttl',
  'memory|usage',
  'hlen',
  'llen',
  'scard',
  'zcard',
  'xlen',
  'object|freq',
]);
export function topLevel(floor) {
  const scripted = ['eval', 'evalsha'].some((c) => (floor.commands[c]?.calls ?? 0) > 0);
  if (!scripted) return floor;
  let usec = 0;
  for (const [cmd, s] of Object.entries(floor.commands))
    if (!nestedInScripts.has(cmd) && !measuring.has(cmd)) usec += s.usec;
  return { ...floor, commandMs: usec / 1000 };
}

/** "calls × cmd" summary of the commands a tool sent, biggest first. */
export function describeCommands(commands) {
  return Object.entries(commands)
    .filter(([cmd]) => !measuring.has(cmd))
    .sort((a, b) => b[1].usec - a[1].usec)
    .map(([cmd, s]) => `${cmd} ${s.calls.toLocaleString('en-US')} (${(s.usec / 1000).toFixed(0)} ms)`)
    .join(', ');
}

/**
 * PING every 5 ms on its own connection while a tool runs; stop() returns the worst round trip
 * in ms, once connected.
 */
export function startPinger(port) {
  const client = new Redis({ port, host: '127.0.0.1' });
  let worst = 0;
  let running = true;
  const loop = (async () => {
    // The first PING waits for the connection itself (TCP, HELLO, ioredis' ready check): not
    // the server's answer time, so it is not counted.
    await client.ping();
    while (running) {
      const t0 = performance.now();
      await client.ping();
      worst = Math.max(worst, performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
    client.disconnect();
    return worst;
  };
}
