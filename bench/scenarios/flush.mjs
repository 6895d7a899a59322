import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { bin, startScratchRedis, timeCommand } from '../lib.mjs';

// flush: 1M keys in the namespace among 2M, redis-ops against the pipeline people use today,
// `redis-cli --scan --pattern 'cache:*' | xargs redis-cli unlink`. Each tool gets a fresh
// server with the same generated data (DEBUG POPULATE: cache:0.. and other:0..). While
// redis-ops runs, a second client PINGs every 5 ms and we keep the worst round trip.
// FLUSH_BENCH_COUNTS=1000,5000,10000 adds a row per SCAN COUNT (how the default was chosen).
const N = Number(process.env.FLUSH_BENCH_KEYS ?? 1_000_000);

async function freshServer() {
  const server = await startScratchRedis(['enable-debug-command local']);
  for (const prefix of ['cache', 'other']) {
    const r = server.cli('DEBUG', 'POPULATE', String(N), prefix);
    if (r.stdout.trim() !== 'OK') throw new Error(`DEBUG POPULATE failed: ${r.stdout}${r.stderr}`);
  }
  return server;
}

function dbsize(server) {
  return Number(server.cli('DBSIZE').stdout.trim());
}

/** PING every 5 ms on its own connection; stop() returns the worst round trip in ms. */
function startPinger(port) {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
  let worst = 0;
  let running = true;
  const loop = (async () => {
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

/** Run a command without blocking the event loop (the pinger must keep running). */
function timeAsync(argv) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - t0, stdout: out })
        : reject(new Error(`${argv.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

async function runOurs(count) {
  const server = await freshServer();
  try {
    const stop = startPinger(server.port);
    await new Promise((r) => setTimeout(r, 100));
    const args = ['node', bin, 'flush', 'cache:', '--yes', '--json', '--url', server.url];
    if (count) args.push('--count', String(count));
    const { ms, stdout } = await timeAsync(args);
    const worstPing = await stop();
    const json = JSON.parse(stdout);
    const left = dbsize(server);
    if (json.deleted !== N || left !== N)
      throw new Error(`redis-ops deleted ${json.deleted}, ${left} keys left (want ${N})`);
    return { ms, worstPing };
  } finally {
    await server.stop();
  }
}

async function runTheirs() {
  const server = await freshServer();
  try {
    const p = server.port;
    const { ms } = timeCommand([
      'sh',
      '-c',
      `redis-cli -p ${p} --scan --pattern 'cache:*' | xargs redis-cli -p ${p} unlink > /dev/null`,
    ]);
    const left = dbsize(server);
    if (left !== N) throw new Error(`the xargs pipeline left ${left} keys (want ${N})`);
    return { ms };
  } finally {
    await server.stop();
  }
}

export default {
  name: 'flush',
  description: `flush cache: (${N.toLocaleString('en-US')} keys of ${(2 * N).toLocaleString('en-US')}) vs redis-cli --scan | xargs redis-cli unlink`,
  async run() {
    const theirs = await runTheirs();
    const ours = await runOurs();
    const ratio = theirs.ms / ours.ms;
    const rows = [
      {
        ours: 'redis-ops flush cache: --yes',
        oursMs: ours.ms,
        theirs: 'redis-cli --scan | xargs redis-cli unlink',
        theirsMs: theirs.ms,
        ratio,
        target: '≥ 4× faster, worst PING < 50 ms',
        met: ratio >= 4 && ours.worstPing < 50,
        extra: `worst PING of a concurrent client during redis-ops flush: ${ours.worstPing.toFixed(1)} ms`,
      },
    ];
    for (const count of (process.env.FLUSH_BENCH_COUNTS ?? '').split(',').filter(Boolean)) {
      const r = await runOurs(Number(count));
      rows.push({
        ours: `redis-ops flush --count ${count}`,
        oursMs: r.ms,
        theirs: 'same xargs run',
        theirsMs: theirs.ms,
        ratio: theirs.ms / r.ms,
        target: 'informative',
        met: true,
        extra: `--count ${count}: worst PING ${r.worstPing.toFixed(1)} ms`,
      });
    }
    return rows;
  },
};
