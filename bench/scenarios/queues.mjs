import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, median, root, startScratchRedis, timeCommand } from '../lib.mjs';

// 500 BullMQ queues with jobs: `redis-ops queues --json` (discovery + pipelined counts for
// all) against what a user writes without it: a loop of `new Queue(name).getJobCounts()`.
const QUEUES = 500;
const require = createRequire(join(root, 'package.json'));

// The comparison script: one Queue per name, each with its own connection (BullMQ's default).
export const loopScript = (shared) => `
const { Queue } = require(${JSON.stringify(require.resolve('bullmq'))});
${shared ? `const { Redis } = require(${JSON.stringify(require.resolve('ioredis'))});` : ''}
const [port, names] = [Number(process.argv[2]), require(process.argv[3])];
(async () => {
  ${shared ? 'const connection = new Redis({ port, maxRetriesPerRequest: null });' : 'const connection = { host: "127.0.0.1", port };'}
  const out = {};
  for (const name of names) {
    const q = new Queue(name, { connection });
    out[name] = await q.getJobCounts();
    await q.close();
  }
  ${shared ? 'connection.disconnect();' : ''}
  process.stdout.write(String(Object.keys(out).length));
})();
`;

/** `count` BullMQ queues with waiting, delayed and prioritized jobs, built by BullMQ itself, in batches. */
export async function fillQueues(port, count = QUEUES) {
  const { Queue } = require('bullmq');
  const { Redis } = require('ioredis');
  const connection = new Redis({ port, maxRetriesPerRequest: null });
  const width = String(count - 1).length;
  const names = Array.from({ length: count }, (_, i) => `q${String(i).padStart(width, '0')}`);
  for (let at = 0; at < names.length; at += 500) {
    await Promise.all(
      names.slice(at, at + 500).map(async (name, k) => {
        const i = at + k;
        const q = new Queue(name, { connection });
        await q.addBulk(Array.from({ length: 8 + (i % 5) }, (_, j) => ({ name: 'job', data: { i, j } })));
        await q.add('later', {}, { delay: 3_600_000 });
        await q.add('urgent', {}, { priority: 1 + (i % 3) });
        await q.close();
      }),
    );
  }
  connection.disconnect();
  return names;
}

export default {
  name: 'queues',
  description: `redis-ops queues --json vs a loop of new Queue(name).getJobCounts() over ${QUEUES} queues`,
  async run() {
    const redis = await startScratchRedis();
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-bench-queues-'));
    try {
      const names = await fillQueues(redis.port);
      const namesFile = join(dir, 'names.json');
      writeFileSync(namesFile, JSON.stringify(names));
      writeFileSync(join(dir, 'loop.cjs'), loopScript(false));
      writeFileSync(join(dir, 'loop-shared.cjs'), loopScript(true));
      const ours = [];
      const theirs = [];
      const shared = [];
      for (let i = 0; i < 3; i++) {
        const r = timeCommand(['node', bin, 'queues', '--url', redis.url, '--json']);
        const found = JSON.parse(r.stdout).queues.length;
        if (found !== QUEUES) throw new Error(`redis-ops found ${found} queues, expected ${QUEUES}`);
        ours.push(r.ms);
        theirs.push(timeCommand(['node', join(dir, 'loop.cjs'), String(redis.port), namesFile]).ms);
        shared.push(timeCommand(['node', join(dir, 'loop-shared.cjs'), String(redis.port), namesFile]).ms);
      }
      const oursMs = median(ours);
      const theirsMs = median(theirs);
      const ratio = theirsMs / oursMs;
      return {
        ours: 'redis-ops queues --json',
        oursMs,
        theirs: 'new Queue(name).getJobCounts() loop',
        theirsMs,
        ratio,
        target: '≥ 5× faster',
        met: ratio >= 5,
        extra: `${QUEUES} queues; the same loop sharing one ioredis connection: ${median(shared).toFixed(0)} ms (${(median(shared) / oursMs).toFixed(2)}×)`,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await redis.stop();
    }
  },
};
