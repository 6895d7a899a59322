// Shared bench helpers: scratch redis-server processes and timing of whole commands.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

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
