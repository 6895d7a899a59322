import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { bin, describeCommands, measureFloor, root, startScratchRedis } from '../lib.mjs';

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

const peers = join(root, 'bench', 'peers', 'flush.mjs');

/**
 * One tool on a fresh server: wall time, the server's floor for what it sent (lib.mjs), the
 * worst PING of a concurrent client, and a check that exactly the namespace is gone.
 */
async function runTool(argv, parseDeleted) {
  const server = await freshServer();
  try {
    const stop = startPinger(server.port);
    await new Promise((r) => setTimeout(r, 100));
    const { result, floor } = await measureFloor(server, () => timeAsync(argv(server)));
    const worstPing = await stop();
    const left = dbsize(server);
    const deleted = parseDeleted(result.stdout);
    if (left !== N || (deleted !== null && deleted !== N))
      throw new Error(`${argv(server).join(' ')}: deleted ${deleted}, ${left} keys left (want ${N})`);
    return { ms: result.ms, worstPing, floor };
  } finally {
    await server.stop();
  }
}

const ours = (count) =>
  runTool(
    (s) => [
      'node',
      bin,
      'flush',
      'cache:',
      '--yes',
      '--json',
      '--url',
      s.url,
      ...(count ? ['--count', String(count)] : []),
    ],
    (out) => JSON.parse(out).deleted,
  );
const peer = (mode) =>
  runTool(
    (s) => ['node', peers, mode, String(s.port), 'cache:*'],
    (out) => Number(out.trim()),
  );
const xargs = () =>
  runTool(
    (s) => [
      'sh',
      '-c',
      `redis-cli -p ${s.port} --scan --pattern 'cache:*' | xargs redis-cli -p ${s.port} unlink > /dev/null`,
    ],
    () => null,
  );

export default {
  name: 'flush',
  description: `flush cache: (${N.toLocaleString('en-US')} keys of ${(2 * N).toLocaleString('en-US')}) vs xargs, ioredis loops and an EVAL loop`,
  async run() {
    const them = [
      ['redis-cli --scan | xargs redis-cli unlink', xargs],
      ['ioredis SCAN + UNLINK loop', () => peer('loop')],
      ['ioredis SCAN + pipelined UNLINK', () => peer('pipelined')],
      ['EVAL loop (SCAN + UNLINK per script)', () => peer('eval')],
    ];
    const results = [];
    for (const [name, run] of them) results.push([name, await run()]);
    const mine = await ours();
    const floorRatio = mine.ms / mine.floor.commandMs;
    const rows = results.map(([name, r]) => ({
      ours: 'redis-ops flush cache: --yes',
      oursMs: mine.ms,
      oursFloorMs: mine.floor.commandMs,
      oursCpuMs: mine.floor.cpuMs,
      theirs: name,
      theirsMs: r.ms,
      theirsFloorMs: r.floor.commandMs,
      ratio: r.ms / mine.ms,
      target: 'ahead; ≤ 1.15× floor; PING < 50 ms',
      met: r.ms > mine.ms && floorRatio <= 1.15 && mine.worstPing < 50,
      extra: `${name}: worst PING ${r.worstPing.toFixed(1)} ms; sent ${describeCommands(r.floor.commands)}`,
    }));
    rows.push({
      ours: 'redis-ops flush cache: --yes',
      oursMs: mine.ms,
      oursFloorMs: mine.floor.commandMs,
      oursCpuMs: mine.floor.cpuMs,
      theirs: '(server floor of its own commands)',
      theirsMs: mine.floor.commandMs,
      ratio: null,
      target: '≤ 1.15× floor',
      met: floorRatio <= 1.15,
      extra: `redis-ops: worst PING ${mine.worstPing.toFixed(1)} ms; server CPU ${mine.floor.cpuMs?.toFixed(0)} ms; sent ${describeCommands(mine.floor.commands)}`,
    });
    for (const count of (process.env.FLUSH_BENCH_COUNTS ?? '').split(',').filter(Boolean)) {
      const r = await ours(Number(count));
      rows.push({
        ours: `redis-ops flush --count ${count}`,
        oursMs: r.ms,
        oursFloorMs: r.floor.commandMs,
        oursCpuMs: r.floor.cpuMs,
        theirs: '(informative)',
        theirsMs: null,
        ratio: null,
        target: 'informative',
        met: true,
        extra: `--count ${count}: worst PING ${r.worstPing.toFixed(1)} ms`,
      });
    }
    return rows;
  },
};
