import { bin, median, startScratchRedis, timeCommand } from '../lib.mjs';

// The CI gate on a big server: 10M keys (DEBUG POPULATE, no queues). doctor must cost about what
// `redis-cli INFO` costs, whatever the keyspace's size (issue 11): its use probe SCANs within a
// budget instead of the whole keyspace. Server time is INFO commandstats usec summed over a run
// (after CONFIG RESETSTAT), read after doctor has exited.
const keys = Number(process.env.BENCH_DOCTOR_KEYS ?? 10_000_000);

function serverUsec(redis) {
  const text = redis.cli('INFO', 'commandstats').stdout;
  let usec = 0;
  for (const m of text.matchAll(/usec=(\d+)/g)) usec += Number(m[1]);
  return usec;
}

export default {
  name: 'doctor-10m',
  description: `doctor --json on ${keys.toLocaleString('en-US')} keys (no queues) vs redis-cli INFO (median of 3)`,
  async run() {
    const redis = await startScratchRedis(['enable-debug-command local']);
    try {
      const t0 = performance.now();
      redis.cli('DEBUG', 'POPULATE', String(keys));
      process.stderr.write(`  populated ${keys} keys in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      const ours = [];
      const oursCpu = [];
      const theirs = [];
      const theirsCpu = [];
      let reason = '';
      for (let i = 0; i < 3; i++) {
        redis.cli('CONFIG', 'RESETSTAT');
        const r = timeCommand(['node', bin, 'doctor', '--url', redis.url, '--json'], { allowFail: true });
        ours.push(r.ms);
        // The INFO commandstats read itself is not doctor's: it runs after, and is not summed yet.
        oursCpu.push(serverUsec(redis) / 1000);
        reason = JSON.parse(r.stdout).use?.reason ?? '';
        redis.cli('CONFIG', 'RESETSTAT');
        theirs.push(timeCommand(['redis-cli', '-p', String(redis.port), 'INFO']).ms);
        theirsCpu.push(serverUsec(redis) / 1000);
      }
      const oursMs = median(ours);
      const cpuMs = median(oursCpu);
      const theirsMs = median(theirs);
      return {
        ours: `doctor --json (server ${cpuMs.toFixed(1)} ms)`,
        oursMs,
        theirs: `redis-cli INFO (server ${median(theirsCpu).toFixed(1)} ms)`,
        theirsMs,
        ratio: oursMs / theirsMs,
        target: '≤ 1.5 s and ≤ 100 ms server',
        met: oursMs <= 1500 && cpuMs <= 100,
        extra: `server time per run ${oursCpu.map((x) => x.toFixed(1)).join(', ')} ms; ${reason}`,
      };
    } finally {
      await redis.stop();
    }
  },
};
