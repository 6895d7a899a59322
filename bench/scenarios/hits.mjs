import { spawn, spawnSync } from 'node:child_process';
import { bin, startScratchRedis } from '../lib.mjs';

// stats --hits: what MONITOR sampling costs the server and how fast the sampler parses.
// The same redis-benchmark GET/SET load (10k keys, 90% of them present) runs without and with
// a sample; the sampler is told to stop after exactly the load's command count (--max-ops), so
// the time from the load's start to the sampler's exit is how long it took to parse it all.
const requests = 200_000;
const loads = [
  { name: 'apps (50 clients, no pipelining)', args: ['-c', '50', '-P', '1'] },
  { name: 'pipelined (10 clients, -P 16)', args: ['-c', '10', '-P', '16'] },
];

function benchmark(port, args) {
  const t0 = performance.now();
  const r = spawnSync(
    'redis-benchmark',
    ['-p', String(port), '-t', 'get,set', '-n', String(requests / 2), '-r', '11000', '-q', '--csv', ...args],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`redis-benchmark exited ${r.status}: ${r.stderr}`);
  return performance.now() - t0;
}

/** Start a sample and resolve once MONITOR is on (the cost line is printed just before). */
function startSample(server) {
  const child = spawn(
    'node',
    [
      bin,
      'stats',
      '--url',
      server.url,
      '--hits',
      '300',
      '--enable-keymiss',
      '--max-ops',
      String(requests),
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise((resolve) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/MONITOR costs/.test(stderr)) setTimeout(resolve, 500);
    });
  });
  return {
    ready,
    done: exited.then((code) => ({ code, stdout, stderr })),
    // A command MONITOR does not show would keep --max-ops from being reached: end it then.
    interruptAfter: (ms) => setTimeout(() => child.kill('SIGINT'), ms).unref(),
  };
}

export default {
  name: 'hits',
  description: `stats --hits: server throughput with and without a MONITOR sample, sampler parse rate (${requests / 1000}k GET/SET)`,
  async run() {
    const server = await startScratchRedis();
    const rows = [];
    try {
      spawnSync(
        'redis-benchmark',
        ['-p', String(server.port), '-t', 'set', '-n', '20000', '-r', '10000', '-q'],
        {
          encoding: 'utf8',
        },
      );
      for (const load of loads) {
        const without = benchmark(server.port, load.args);
        const sample = startSample(server);
        await sample.ready;
        const t0 = performance.now();
        const withMs = benchmark(server.port, load.args);
        sample.interruptAfter(20_000);
        const r = await sample.done;
        const parsedMs = performance.now() - t0;
        if (r.code !== 0 && r.code !== 130) throw new Error(`stats --hits exited ${r.code}: ${r.stderr}`);
        const json = JSON.parse(r.stdout);
        const serverRate = requests / (without / 1000);
        const sampledRate = requests / (withMs / 1000);
        const parseRate = json.commandsSeen / (Math.max(parsedMs, withMs) / 1000);
        rows.push({
          ours: `load while sampling: ${load.name}`,
          oursMs: withMs,
          theirs: 'the same load, no sample',
          theirsMs: without,
          ratio: without / withMs,
          target: 'for reference (README)',
          met: true,
          extra:
            `${load.name}: ${Math.round(serverRate).toLocaleString('en')} cmd/s without, ` +
            `${Math.round(sampledRate).toLocaleString('en')} cmd/s while sampling ` +
            `(throughput cost ${((1 - sampledRate / serverRate) * 100).toFixed(0)}%); sampler parsed ` +
            `${json.commandsSeen.toLocaleString('en')} commands at ${Math.round(parseRate).toLocaleString('en')} cmd/s ` +
            `(${parsedMs > withMs * 1.05 ? `fell behind by ${((parsedMs - withMs) / 1000).toFixed(2)} s` : 'kept up'})`,
        });
        rows.push({
          ours: 'sampler parse rate (MONITOR)',
          oursMs: parsedMs,
          theirs: `server rate while sampling, ${load.name}`,
          theirsMs: withMs,
          ratio: withMs / parsedMs,
          target: 'keeps up (≥ 0.95×)',
          met: withMs / parsedMs >= 0.95,
        });
      }
    } finally {
      await server.stop();
    }
    return rows;
  },
};
