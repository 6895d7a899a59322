import { spawn } from 'node:child_process';
import {
  bin,
  describeCommands,
  measureFloor,
  startPinger,
  startScratchRedis,
  timeCommand,
  topLevel,
} from '../lib.mjs';

// 1M keys in three namespaces (strings, strings with TTL, hashes), loaded with redis-cli --pipe;
// then `stats --keys` vs `redis-cli --memkeys` and `--bigkeys` on the same data, one run each.
const total = 1_000_000;

function cmd(...args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

async function load(port) {
  const p = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const done = new Promise((resolve, reject) =>
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --pipe exited ${code}`)))),
  );
  let buf = '';
  for (let i = 0; i < total; i++) {
    const ns = i % 3;
    if (ns === 0) buf += cmd('SET', `cache:page:${i}`, 'x'.repeat(40));
    else if (ns === 1) buf += cmd('SET', `session:${i}`, 'y'.repeat(20), 'EX', '3600');
    else buf += cmd('HSET', `user:${i}`, 'name', `n${i}`, 'email', `e${i}@example.com`);
    if (buf.length > 1 << 20) {
      if (!p.stdin.write(buf)) await new Promise((r) => p.stdin.once('drain', r));
      buf = '';
    }
  }
  p.stdin.end(buf);
  await done;
}

/** A command's wall time without blocking the event loop (the pinger keeps running). */
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

export default {
  name: 'keys',
  description: `stats --keys vs redis-cli --memkeys / --bigkeys on ${total / 1e6}M keys in 3 namespaces`,
  async run() {
    const server = await startScratchRedis();
    try {
      await load(server.port);
      const dbsize = Number(server.cli('dbsize').stdout.trim());
      if (dbsize !== total) throw new Error(`loaded ${dbsize} keys, wanted ${total}`);
      // KEYS_BENCH_ROUNDS runs of redis-ops (default 3): the median by wall time is shown, the
      // worst PING of all of them; one run of each redis-cli mode (they take ten times longer).
      const runs = [];
      for (let i = 0; i < Number(process.env.KEYS_BENCH_ROUNDS ?? 3); i++) {
        const { result, floor: all } = await measureFloor(server, async () => {
          const stop = startPinger(server.port);
          await new Promise((r) => setTimeout(r, 100)); // connected before the tool starts
          const r = await timeAsync(['node', bin, 'stats', '--url', server.url, '--keys', '--json']);
          return { ...r, worstPing: await stop() };
        });
        runs.push({ ...result, floor: topLevel(all) });
      }
      const ours = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
      ours.worstPing = Math.max(...runs.map((r) => r.worstPing));
      const floor = ours.floor;
      const spread = runs
        .map((r) => `${(r.ms / 1000).toFixed(2)} s (${(r.ms / r.floor.commandMs).toFixed(2)}×)`)
        .join(' / ');
      const json = JSON.parse(ours.stdout);
      if (
        json.scanned !== total ||
        json.namespaces.length !== 3 ||
        json.namespaces.some((n) => n.bytes === null)
      )
        throw new Error('stats --keys did not report all three namespaces with memory');
      const { result: memkeys, floor: theirFloor } = await measureFloor(server, async () =>
        timeCommand(['redis-cli', '-p', String(server.port), '--memkeys']),
      );
      const bigkeys = timeCommand(['redis-cli', '-p', String(server.port), '--bigkeys']);
      const ratio = memkeys.ms / ours.ms;
      const perNs = json.namespaces
        .map((n) => `${n.prefix} ${n.keys} keys ${(n.bytes / 2 ** 20).toFixed(1)} MiB`)
        .join(', ');
      return [
        {
          ours: 'stats --keys',
          oursMs: ours.ms,
          oursFloorMs: floor.commandMs,
          oursCpuMs: floor.cpuMs,
          theirs: 'redis-cli --memkeys',
          theirsMs: memkeys.ms,
          theirsFloorMs: theirFloor.commandMs,
          ratio,
          target: '≥ 4× faster, ≤ 1.25× floor, PING < 50 ms',
          met: ratio >= 4 && ours.ms / floor.commandMs <= 1.25 && ours.worstPing < 50,
          extra: `runs ${spread}; ${perNs}; worst PING ${ours.worstPing.toFixed(1)} ms; server CPU ${floor.cpuMs?.toFixed(0)} ms; redis-ops sent ${describeCommands(floor.commands)}`,
        },
        {
          ours: 'stats --keys',
          oursMs: ours.ms,
          theirs: 'redis-cli --bigkeys',
          theirsMs: bigkeys.ms,
          ratio: bigkeys.ms / ours.ms,
          target: 'for reference',
          met: true,
        },
      ];
    } finally {
      await server.stop();
    }
  },
};
