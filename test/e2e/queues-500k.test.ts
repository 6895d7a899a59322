import { FlowProducer, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Every read subcommand of `queues` on one queue of 500,000 jobs: the calls the server counts
 * (INFO commandstats after CONFIG RESETSTAT, script-internal calls included) are the same, command
 * for command, as on the 2,404 real jobs before the copies (only discovery's SCAN of the keyspace
 * grows, a page per 5,000 keys, and `show`'s failure grouping up to its --limit of 1,000); no range
 * read asks for more than a window (from the CLI's own `--verbose` trace of every command it
 * sends); nothing is written (the server's own change counter, before and after).
 *
 * How the jobs were made: real BullMQ 6 made 2,404 of them (a worker completed 200 and failed
 * 100, 100 delayed, a flow of a parent and 2 children, a job scheduler's first job, 2,000
 * waiting). BullMQ's addBulk of 500,000 jobs takes about 50 s on this machine, so a server-side
 * Lua script then copies those jobs' hashes (the first 50 of each state) field for field under
 * new ids and puts each copy where its original is (LPUSH on `wait`, ZADD with the original's
 * score on `completed`, `failed`, `delayed`), and sets `<q>:id` to the last id, as BullMQ's INCR
 * would have left it. Setup takes about 2 s.
 * The copies have no `added` events in the stream (BullMQ trims that stream to ~10,000 anyway).
 */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
const TOTAL = 500_000;
let flowParentId = '';
let setupMs = 0;
let oldestWaiting = '';
/** commandstats of each bounded command run on the real jobs only, before the copies. */
const baseline = new Map<string, Map<string, Stat>>();
/** The commands whose calls must not change with the number of jobs. */
const bounded = (): Record<string, string[]> => ({
  overview: ['queues', '--json'],
  show: ['queues', 'show', 'big', '--json'],
  job: ['queues', 'job', 'big', oldestWaiting, '--json'],
  watch: ['queues', '--watch', '1', '--count', '1'],
  schedulers: ['queues', 'schedulers', 'big'],
  flow: ['queues', 'flow', 'big', flowParentId],
});

const copyJobs = `
local base, kind, state = ARGV[1], ARGV[2], ARGV[3]
local first, n = tonumber(ARGV[4]), tonumber(ARGV[5])
local nsrc = #ARGV - 5
local fields, scores = {}, {}
for i = 1, nsrc do
  local id = ARGV[5 + i]
  fields[i] = redis.call('HGETALL', base .. ':' .. id)
  if kind == 'zset' then scores[i] = redis.call('ZSCORE', state, id) end
end
for j = 0, n - 1 do
  local i = (j % nsrc) + 1
  local id = tostring(first + j)
  redis.call('HSET', base .. ':' .. id, unpack(fields[i]))
  if kind == 'list' then redis.call('LPUSH', state, id) else redis.call('ZADD', state, scores[i], id) end
end
return n
`;

beforeAll(async () => {
  const t0 = Date.now();
  server = await startRedis();
  const q = new Queue('big', { connection: connection() });
  await q.addBulk(
    Array.from({ length: 300 }, (_, i) => ({
      name: 'w',
      data: { n: i, fail: i % 3 === 0 },
      opts: { attempts: 1 },
    })),
  );
  const worker = new Worker(
    'big',
    async (job) => {
      if (job.data.fail) throw new Error('ECONNRESET upstream');
      return { ok: job.data.n };
    },
    { connection: connection(), concurrency: 50 },
  );
  await waitFor(
    async () => {
      const c = await q.getJobCounts('completed', 'failed');
      return c.completed === 200 && c.failed === 100;
    },
    30_000,
    'the worker to finish 300 jobs',
  );
  await worker.close();
  await q.addBulk(
    Array.from({ length: 100 }, (_, i) => ({ name: 'w', data: { n: i }, opts: { delay: 3_600_000 } })),
  );
  const flows = new FlowProducer({ connection: connection() });
  const tree = await flows.add({
    name: 'report',
    queueName: 'big',
    children: [
      { name: 'part', queueName: 'big', data: { i: 1 } },
      { name: 'part', queueName: 'big', data: { i: 2 } },
    ],
  });
  await flows.close();
  flowParentId = tree.job.id ?? '';
  await q.upsertJobScheduler('hourly', { pattern: '0 * * * *' }, { name: 'sweep', data: {} });
  for (let b = 0; b < 4; b++)
    await q.addBulk(Array.from({ length: 500 }, (_, i) => ({ name: 'w', data: { n: b * 500 + i } })));
  await q.close();

  const admin = server.client();
  // The same reads on the 2,404 real jobs first: on 500,000 they must send the same commands.
  const t1 = Date.now();
  oldestWaiting = String(await admin.lindex('bull:big:wait', -1));
  for (const [label, args] of Object.entries(bounded())) baseline.set(label, (await measured(args)).stats);
  const baselineMs = Date.now() - t1;

  // Numeric ids only: the scheduler's delayed job (`repeat:hourly:<ts>`) is not copied.
  const ids = async (key: string, n: number) =>
    ((await admin.call('ZRANGE', key, '0', String(n - 1))) as string[]).filter((id) => /^\d+$/.test(id));
  let next = Number(await admin.get('bull:big:id')) + 1;
  const real = Number(await admin.dbsize());
  const copy = async (kind: 'list' | 'zset', state: string, src: string[], count: number) => {
    // 25,000 per script: each call stays well under the server's busy-script threshold.
    for (let done = 0; done < count; done += 25_000) {
      const n = Math.min(25_000, count - done);
      await admin.eval(copyJobs, 0, 'bull:big', kind, `bull:big:${state}`, next, n, ...src);
      next += n;
    }
  };
  await copy('zset', 'completed', await ids('bull:big:completed', 50), 20_000);
  await copy('zset', 'failed', await ids('bull:big:failed', 50), 10_000);
  await copy('zset', 'delayed', await ids('bull:big:delayed', 50), 5_000);
  const waitingIds = (await admin.lrange('bull:big:wait', 0, 49)).filter((id) => /^\d+$/.test(id));
  const jobsNow = async () => {
    const c = await admin
      .multi()
      .llen('bull:big:wait')
      .zcard('bull:big:completed')
      .zcard('bull:big:failed')
      .zcard('bull:big:delayed')
      .zcard('bull:big:waiting-children')
      .exec();
    return (c ?? []).reduce((s, [, v]) => s + Number(v), 0);
  };
  await copy('list', 'wait', waitingIds, TOTAL - (await jobsNow()));
  await admin.set('bull:big:id', String(next - 1));
  expect(await jobsNow()).toBe(TOTAL);
  expect(Number(await admin.dbsize()) - real).toBe(TOTAL - 2404);
  setupMs = Date.now() - t0 - baselineMs;
  console.log(`queues-500k setup: ${TOTAL} jobs in ${setupMs} ms`);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

interface Stat {
  calls: number;
  usec: number;
}

function parseCommandStats(info: string): Map<string, Stat> {
  const out = new Map<string, Stat>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    out.set(m[1] as string, { calls: Number(m[2]), usec: Number(m[3]) });
  return out;
}

/** The commands the run sent, from --verbose (`→ LRANGE bull:big:wait 0 999`). */
function traced(run: CliRun): string[][] {
  return run.stderr
    .split('\n')
    .filter((l) => l.startsWith('→ '))
    .map((l) => l.slice(2).split(' '));
}

/**
 * No range read can return a whole big set: LRANGE/ZRANGE by index ask for at most `window`
 * elements, by score with a LIMIT, streams with a COUNT, LPOS with a MAXLEN, SCAN with a COUNT.
 */
function assertWindows(cmds: string[][], window = 1000): void {
  const span = (a: string, b: string) => {
    const [x, y] = [Number(a), Number(b)];
    return x < 0 === y < 0 ? y - x + 1 : Infinity;
  };
  const countArg = (c: string[]) => Number(c[c.findIndex((a) => a.toUpperCase() === 'COUNT') + 1]);
  for (const c of cmds) {
    const [name, , a = '', b = ''] = c;
    const line = c.join(' ');
    if (name === 'LRANGE' || name === 'ZRANGE' || name === 'ZREVRANGE')
      expect(span(a, b), line).toBeLessThanOrEqual(window);
    if (name === 'ZRANGEBYSCORE' || name === 'ZREVRANGEBYSCORE') expect(line).toMatch(/ LIMIT 0 \d+/);
    if (name === 'XRANGE' || name === 'XREVRANGE') expect(countArg(c), line).toBeLessThanOrEqual(20_000);
    if (name === 'SCAN' || name === 'SSCAN' || name === 'HSCAN' || name === 'ZSCAN')
      expect(countArg(c), line).toBeLessThanOrEqual(5000);
    if (name === 'LPOS') expect(line).toMatch(/ MAXLEN \d+/);
    expect(['KEYS', 'SMEMBERS', 'HGETALL', 'ZRANGEBYLEX'].includes(name ?? '') ? c[1] : '', line).not.toMatch(
      /^bull:big:(wait|completed|failed|delayed|events)$/,
    );
  }
}

/**
 * The server's count of changes to the dataset (`rdb_changes_since_last_save`: every write, by a
 * command or a script, adds to it; `save ""` means it is never reset). DEBUG DIGEST would say the
 * same but hashes all 500,000 jobs in ~6 s per call on this machine.
 */
async function dirty(admin: Redis): Promise<number> {
  const info = String(await admin.info('persistence'));
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** One command under the microscope: stats reset before, digest unchanged after. */
async function measured(
  args: string[],
): Promise<{ run: CliRun; stats: Map<string, Stat>; cmds: string[][] }> {
  const admin = server.client();
  const before = await dirty(admin);
  await admin.call('CONFIG', 'RESETSTAT');
  const run = await runCli([...args, '--url', server.url, '--verbose'], { timeoutMs: 60_000 });
  const stats = parseCommandStats(String(await admin.info('commandstats')));
  console.log(args.join(' '), [...stats].map(([k, v]) => `${k}=${v.calls}`).join(' '));
  expect(await dirty(admin), 'nothing written').toBe(before);
  const cmds = traced(run);
  // The trace is there (else the window checks below would pass on nothing): discovery's SCAN at least.
  expect(
    cmds.some((c) => c[0] === 'SCAN'),
    run.stderr.slice(-300),
  ).toBe(true);
  assertWindows(cmds);
  // Nothing that writes reaches the server (the digest would also see it).
  for (const w of ['hset', 'lpush', 'rpush', 'zadd', 'del', 'set', 'xadd', 'lrem', 'zrem', 'incr'])
    expect(stats.get(w)?.calls ?? 0, w).toBe(0);
  return { run, stats, cmds };
}

const calls = (stats: Map<string, Stat>, cmd: string) => stats.get(cmd)?.calls ?? 0;
/** Every call but SCAN (discovery walks the keyspace, COUNT 5000 a page) and our own CONFIG. */
const nonScanCalls = (stats: Map<string, Stat>) =>
  [...stats].filter(([c]) => c !== 'scan' && !c.startsWith('config')).reduce((s, [, v]) => s + v.calls, 0);
/** Calls per command, without discovery's SCAN and our own CONFIG RESETSTAT. */
const perCommand = (stats: Map<string, Stat>, except: string[] = []) =>
  Object.fromEntries(
    [...stats]
      .filter(([c]) => c !== 'scan' && !c.startsWith('config') && !except.includes(c))
      .map(([c, v]) => [c, v.calls])
      .sort(),
  );
/** The same commands, as many of each, as on the 2,404 real jobs. */
function expectSameAsBaseline(label: string, stats: Map<string, Stat>, except: string[] = []): void {
  const base = baseline.get(label);
  expect(base, label).toBeDefined();
  expect(perCommand(stats, except), label).toEqual(perCommand(base as Map<string, Stat>, except));
}
/** Discovery's SCAN: pages of COUNT 5000 over the keyspace, one pass. */
const scanBudget = () => Math.ceil(((TOTAL + 100) / 5000) * 1.5);

describe('queues on a queue of 500,000 jobs: bounded reads', () => {
  it('setup made 500,000 jobs within the time budget', () => {
    expect(setupMs).toBeLessThan(45_000);
  });

  it('queues --json: O(queues) calls besides the discovery SCAN, counts exact', async () => {
    const { run, stats } = await measured(['queues', '--json']);
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout) as {
      queues: Array<{ name: string; counts: Record<string, number> }>;
    };
    const big = json.queues.find((r) => r.name === 'big');
    expect(big?.counts).toMatchObject({ completed: 20_200, failed: 10_100, delayed: 5_101 });
    expect(calls(stats, 'scan')).toBeLessThanOrEqual(scanBudget());
    expect(nonScanCalls(stats)).toBeLessThanOrEqual(100);
    expectSameAsBaseline('overview', stats);
  });

  it('queues show big --json: bounded calls, no whole-set read', async () => {
    const { run, stats } = await measured(['queues', 'show', 'big', '--json']);
    expect(run.exitCode).toBe(0);
    expect(calls(stats, 'scan')).toBeLessThanOrEqual(scanBudget());
    // Failure grouping reads the reason of at most --limit (1000) failed jobs, one HGET each
    // (100 on the real jobs, 1,000 of the 10,100 here); everything else is the same.
    expect(calls(stats, 'hget')).toBeLessThanOrEqual(
      1000 + calls(baseline.get('show') ?? stats, 'hget') - 100,
    );
    expect(nonScanCalls(stats)).toBeLessThanOrEqual(1200);
    expectSameAsBaseline('show', stats, ['hget']);
  });

  it('queues jobs --name x --scan-limit 5000: 5 windows of 1,000 and 5,000 HMGETs', async () => {
    const { run, stats } = await measured([
      'queues',
      'jobs',
      'big',
      '--name',
      'x',
      '--scan-limit',
      '5000',
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ examined: 5000, budgetHit: true, jobs: [] });
    expect(calls(stats, 'lrange') + calls(stats, 'zrange')).toBeLessThanOrEqual(6);
    expect(calls(stats, 'hmget')).toBe(5000);
    expect(nonScanCalls(stats) - 5000).toBeLessThanOrEqual(100);
  });

  it('queues jobs --name x (default --scan-limit 100,000): stops at 100,000 of 500,000', async () => {
    const { run, stats } = await measured(['queues', 'jobs', 'big', '--name', 'x', '--json']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ examined: 100_000, budgetHit: true, jobs: [] });
    expect(calls(stats, 'lrange') + calls(stats, 'zrange')).toBeLessThanOrEqual(101);
    expect(calls(stats, 'hmget')).toBe(100_000);
  }, 60_000);

  it('queues job big <id> --json: a handful of calls whatever the list length', async () => {
    // One of the oldest waiting jobs (the tail of the wait list, far from the head LPOS starts at).
    const admin = server.client();
    const oldest = oldestWaiting;
    const middle = String(await admin.lindex('bull:big:wait', 240_000));
    for (const id of [oldest, middle]) {
      const { run, stats } = await measured(['queues', 'job', 'big', id, '--json']);
      expect(run.exitCode, run.stderr.slice(-500)).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ id, state: 'waiting' });
      expect(calls(stats, 'scan')).toBeLessThanOrEqual(scanBudget());
      expect(nonScanCalls(stats)).toBeLessThanOrEqual(40);
      expectSameAsBaseline('job', stats);
    }
    const failed = ((await admin.call('ZRANGE', 'bull:big:failed', '-1', '-1')) as string[])[0] as string;
    const { run, stats } = await measured(['queues', 'job', 'big', failed, '--json']);
    expectSameAsBaseline('job', stats);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: failed,
      state: 'failed',
      failedReason: 'ECONNRESET upstream',
    });
  });

  it('queues --watch 1 --count 1 (NDJSON): one round, no per-job reads', async () => {
    const { run, stats } = await measured(['queues', '--watch', '1', '--count', '1']);
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toHaveProperty('queues');
    expect(calls(stats, 'scan')).toBeLessThanOrEqual(scanBudget());
    expect(calls(stats, 'hmget') + calls(stats, 'hgetall')).toBeLessThanOrEqual(50);
    expect(nonScanCalls(stats)).toBeLessThanOrEqual(100);
    expectSameAsBaseline('watch', stats);
  });

  it('queues schedulers big: ZCARD, ZRANGE of the first 1,000, one HGETALL each', async () => {
    const { run, stats } = await measured(['queues', 'schedulers', 'big']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('hourly');
    expect(calls(stats, 'hgetall')).toBeLessThanOrEqual(1);
    expect(nonScanCalls(stats)).toBeLessThanOrEqual(40);
    expectSameAsBaseline('schedulers', stats);
  });

  it('queues flow big <parent>: one round per level, no search of the wait list', async () => {
    const { run, stats } = await measured(['queues', 'flow', 'big', flowParentId]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/report .*waiting-children/);
    expect(run.stdout).toMatch(/3 jobs read/);
    expect(nonScanCalls(stats)).toBeLessThanOrEqual(60);
    expectSameAsBaseline('flow', stats);
  });
});
