import { spawnSync } from 'node:child_process';
import { bin, median, startScratchRedis, timeCommand } from '../lib.mjs';

// The full doctor (ladder, fitness checks, queue discovery, queue gates) on 200k keys and 20
// BullMQ queues, against the redis-cli calls a person makes to learn the same: INFO, the policy,
// the slow log and a SCAN for queues (redis-cli --scan, COUNT 10).
export default {
  name: 'doctor-fitness',
  description:
    'doctor --json --max-failed-jobs on 200k keys + 20 queues vs redis-cli INFO + CONFIG GET + SLOWLOG + --scan *:meta (median of 3)',
  async run() {
    const redis = await startScratchRedis([
      'enable-debug-command local',
      'maxmemory 512mb',
      'maxmemory-policy noeviction',
    ]);
    try {
      redis.cli('DEBUG', 'POPULATE', '200000', 'cache:item');
      const lines = [];
      for (let i = 0; i < 20; i++)
        lines.push(
          `HSET bull:queue-${i}:meta version bullmq:6.7.0`,
          `SET bull:queue-${i}:id 5`,
          `ZADD bull:queue-${i}:failed 1 1`,
        );
      spawnSync('redis-cli', ['-p', String(redis.port)], {
        input: `${lines.join('\n')}\n`,
        encoding: 'utf8',
      });
      const shell = `redis-cli -p ${redis.port} INFO >/dev/null && redis-cli -p ${redis.port} CONFIG GET maxmemory-policy >/dev/null && redis-cli -p ${redis.port} SLOWLOG GET 128 >/dev/null && redis-cli -p ${redis.port} --scan --pattern '*:meta' >/dev/null`;
      const ours = [];
      const theirs = [];
      let found = '';
      for (let i = 0; i < 3; i++) {
        const r = timeCommand(
          ['node', bin, 'doctor', '--url', redis.url, '--json', '--max-failed-jobs', '100'],
          { allowFail: true },
        );
        ours.push(r.ms);
        found = JSON.parse(r.stdout).use?.reason ?? '';
        theirs.push(timeCommand(['sh', '-c', shell]).ms);
      }
      const oursMs = median(ours);
      const theirsMs = median(theirs);
      const ratio = oursMs / theirsMs;
      return {
        ours: 'doctor (full)',
        oursMs,
        theirs: 'redis-cli INFO+CONFIG+SLOWLOG+--scan',
        theirsMs,
        ratio,
        target: '≤ 1.0×',
        met: ratio <= 1,
        extra: found,
      };
    } finally {
      await redis.stop();
    }
  },
};
