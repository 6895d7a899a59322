import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * flush's memory does not grow with what it deletes (the 5M and 1M-of-1-KB figures are in
 * `npm run bench flush`; this is the same at a size a test can afford): 60,000 names of about
 * 1 KB (60 MB of names) go while the CLI's peak RSS, which it prints under
 * REDIS_OPS_REPORT_RSS=1, stays within 40 MB of a run that deletes nothing over the same
 * keyspace, with a 32 MB V8 heap. Through the script it stays at the baseline. Where EVAL is
 * denied the names travel through us, and the Buffers they leave are garbage V8 frees late: a
 * plateau 15-46 MB above the baseline in trials, the same for 60k and 240k names (110 and 105 MB
 * peak), so that path gets 55 MB. Streaming (--yes), through the script and where EVAL is
 * denied (the names then travel through us), and counted (--max-keys: nothing kept, a second SCAN).
 */
let server: RedisServer;
const n = 60_000;
const prefix = `cache:${'k'.repeat(1010)}:`;
const env = { REDIS_OPS_REPORT_RSS: '1', NODE_OPTIONS: '--max-old-space-size=32' };

async function fill(): Promise<void> {
  // Written inside the server: 60 MB of names need not cross the socket twice.
  await server
    .client()
    .eval("for i = 1, ARGV[2] do redis.call('SET', ARGV[1] .. i, 'v') end return 1", 0, prefix, n);
}

async function peakOf(args: string[], url = server.url): Promise<{ mb: number; deleted: number }> {
  const { json, run } = await runJson(['flush', ...args, '--yes', '--url', url], { env });
  expect(run.exitCode, run.stderr).toBe(0);
  const kib = Number(/peak RSS (\d+) KiB/.exec(run.stderr)?.[1]);
  expect(kib).toBeGreaterThan(0);
  return { mb: kib / 1024, deleted: json.deleted };
}

beforeAll(async () => {
  server = await startRedis();
  await server.client().set('other:1', 'x');
  await server.client().acl('SETUSER', 'noeval', 'on', '>pw', '~*', '&*', '+@all', '-eval');
});
afterAll(async () => {
  await server?.stop();
});

describe('flush: memory stays flat', () => {
  it('deletes 60 MB of names in less extra memory than the names take', async () => {
    await fill();
    // The same SCAN over the same keys, matching none: the CLI's own footprint.
    const base = await peakOf(['nothing:']);
    // Names through us are garbage V8 frees late: that path plateaus higher (see above).
    const runs: Array<[string, string[], string, number]> = [
      ['streaming, script', ['cache:'], server.url, 40],
      ['streaming, no EVAL', ['cache:'], `redis://noeval:pw@127.0.0.1:${server.port}`, 55],
      ['counted', ['cache:', '--max-keys', String(n)], server.url, 40],
    ];
    for (const [label, args, url, bound] of runs) {
      await fill();
      const peak = await peakOf(args, url);
      expect(peak.deleted, label).toBe(n);
      expect(
        peak.mb - base.mb,
        `${label}: ${peak.mb.toFixed(0)} MB vs ${base.mb.toFixed(0)} MB`,
      ).toBeLessThan(bound);
    }
    expect(await server.client().dbsize()).toBe(1);
  });
});
