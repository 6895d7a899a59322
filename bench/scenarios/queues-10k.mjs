import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { bin, describeCommands, measureFloor, median, startScratchRedis, timeCommand } from '../lib.mjs';
import { fillQueues, loopScript } from './queues.mjs';

// 10,000 BullMQ queues with jobs: `redis-ops queues --json` against a loop of
// `new Queue(name).getJobCounts()`, with a connection per queue (BullMQ's default) and over one
// shared connection, all in the same run on the same data (issue 13's done-when).
const QUEUES = 10_000;
// Three, so the median is a middle run (of two, median() returns the slower).
const RUNS = 3;

export default {
  name: 'queues-10k',
  description: `redis-ops queues --json vs getJobCounts() loops over ${QUEUES} queues`,
  async run() {
    const redis = await startScratchRedis();
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-bench-queues10k-'));
    try {
      const names = await fillQueues(redis.port, QUEUES);
      const namesFile = join(dir, 'names.json');
      writeFileSync(namesFile, JSON.stringify(names));
      writeFileSync(join(dir, 'loop.cjs'), loopScript(false));
      writeFileSync(join(dir, 'loop-shared.cjs'), loopScript(true));
      const ours = [];
      const theirs = [];
      const shared = [];
      const floors = { ours: [], theirs: [], shared: [] };
      const load = [loadavg()[0]];
      // Each run under measureFloor: the server's busy time for what each tool sent (CONFIG
      // RESETSTAT, then INFO commandstats usec), so a slow run says whether the server or the
      // client (or the machine's other load) took the time.
      const clientCpu = { ours: [], theirs: [], shared: [] };
      const timed = async (kind, argv) => {
        // Under sh, whose `times` prints its children's user and sys CPU (last stderr line):
        // on a loaded machine wall time follows the scheduler, CPU time follows the work.
        const wrapped = ['sh', '-c', '"$@"; s=$?; times >&2; exit $s', 'sh', ...argv];
        const { result, floor } = await measureFloor(redis, () => timeCommand(wrapped));
        floors[kind].push(floor);
        const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(result.stderr);
        if (m)
          clientCpu[kind].push((Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000);
        return result;
      };
      for (let i = 0; i < RUNS; i++) {
        const r = await timed('ours', ['node', bin, 'queues', '--url', redis.url, '--json']);
        const found = JSON.parse(r.stdout).queues.length;
        if (found !== QUEUES) throw new Error(`redis-ops found ${found} queues, expected ${QUEUES}`);
        ours.push(r.ms);
        theirs.push(
          (await timed('theirs', ['node', join(dir, 'loop.cjs'), String(redis.port), namesFile])).ms,
        );
        shared.push(
          (await timed('shared', ['node', join(dir, 'loop-shared.cjs'), String(redis.port), namesFile])).ms,
        );
        load.push(loadavg()[0]);
      }
      const oursMs = median(ours);
      const theirsMs = median(theirs);
      const sharedMs = median(shared);
      const floorOf = (kind) => median(floors[kind].map((f) => f.commandMs));
      const cpuOf = (kind) => median(floors[kind].map((f) => f.cpuMs ?? 0));
      const clientOf = (kind) => median(clientCpu[kind]) ?? 0;
      const totalOf = (kind) => clientOf(kind) + cpuOf(kind);
      const ms = (x) => `${x.toFixed(0)} ms`;
      const lastOurs = floors.ours[floors.ours.length - 1];
      return [
        {
          ours: 'redis-ops queues --json',
          oursMs,
          theirs: 'new Queue(name).getJobCounts() loop',
          theirsMs,
          oursFloorMs: floorOf('ours'),
          oursCpuMs: cpuOf('ours'),
          theirsFloorMs: floorOf('theirs'),
          ratio: theirsMs / oursMs,
          target: '≥ 5× faster',
          met: theirsMs / oursMs >= 5,
          extra:
            `${QUEUES} queues, median of ${RUNS} interleaved runs; 1-min load average ${load.map((l) => l.toFixed(1)).join(' → ')} on ${availableParallelism()} cores; ` +
            `CPU (client user+sys + server): redis-ops ${ms(clientOf('ours'))} + ${ms(cpuOf('ours'))}, loop ${ms(clientOf('theirs'))} + ${ms(cpuOf('theirs'))}, ` +
            `shared loop ${ms(clientOf('shared'))} + ${ms(cpuOf('shared'))} (CPU ratios ${(totalOf('theirs') / totalOf('ours')).toFixed(2)}× and ${(totalOf('shared') / totalOf('ours')).toFixed(2)}×); ` +
            `redis-ops sent ${describeCommands(lastOurs.commands)}`,
        },
        {
          ours: 'redis-ops queues --json',
          oursMs,
          theirs: 'the same loop, one shared connection',
          theirsMs: sharedMs,
          oursFloorMs: floorOf('ours'),
          oursCpuMs: cpuOf('ours'),
          theirsFloorMs: floorOf('shared'),
          ratio: sharedMs / oursMs,
          target: '≥ 2.5× faster',
          met: sharedMs / oursMs >= 2.5,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await redis.stop();
    }
  },
};
