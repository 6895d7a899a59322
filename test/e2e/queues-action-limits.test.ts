import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performAction } from '../../src/commands/queues/actions.js';
import type { ActionRequest } from '../../src/commands/queues/types.js';
import { CliError } from '../../src/errors.js';
import { planClean } from '../../src/queues/clean-plan.js';
import { openConnection, type Connection } from '../../src/redis/connect.js';
import { resolveTarget } from '../../src/redis/target.js';
import { execa } from 'execa';
import { binPath, runCli, runJson } from '../helpers/cli.js';
import { startTrapProxy, type TrapAction } from '../helpers/trap-proxy.js';
import { countsOf, waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * Actions do what was confirmed and nothing more, say how far an interrupted run got, and
 * plan with bounded reads. Real BullMQ producers and workers build every queue.
 */
let server: RedisServer;
let admin: Redis;
const connection = () => ({ host: '127.0.0.1', port: server.port });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function complete(name: string, n: number, total = n): Promise<void> {
  const q = new Queue(name, { connection: connection() });
  await q.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'j', data: { i } })));
  const w = new Worker(name, async () => 'ok', { connection: connection(), concurrency: 50 });
  await waitFor(
    async () => (await q.getJobCounts('completed')).completed === total,
    60_000,
    `${total} completed`,
  );
  await w.close();
  await q.close();
}

async function withConn<T>(run: (c: Connection) => Promise<T>): Promise<T> {
  const c = await openConnection(resolveTarget({ url: server.url }, {}, process.cwd()));
  try {
    return await run(c);
  } finally {
    await c.close();
  }
}

const request = (over: Partial<ActionRequest>): ActionRequest => ({
  action: 'clean',
  name: 'x',
  prefixes: [],
  yes: true,
  dryRun: false,
  interactive: false,
  timeoutMs: 5000,
  confirm: async () => true,
  announce: () => undefined,
  ...over,
});

beforeAll(async () => {
  server = await startRedis();
  admin = server.client();
});

afterAll(async () => {
  await server?.stop();
});

describe('clean --grace: the cutoff is fixed when the plan is shown', () => {
  it('jobs that grow old while the person reads the prompt are kept', async () => {
    await complete('grace', 4);
    await sleep(1600);
    await complete('grace', 2, 6);
    await sleep(600);
    // Plan now with a 2 s grace: only the first 4 are older. The person takes 2.5 s to answer;
    // by then all 6 are older than 2 s, which BullMQ's clean(grace) would delete.
    let prompt = '';
    const r = await withConn((c) =>
      performAction(
        c,
        request({
          name: 'grace',
          state: 'completed',
          graceMs: 2000,
          yes: false,
          interactive: true,
          confirm: async (m) => {
            prompt = m;
            await sleep(2500);
            return true;
          },
        }),
      ),
    );
    expect(prompt).toMatch(/^delete up to 4 jobs in completed of bull:grace older than 2s \(before \d{4}-/);
    expect(r).toMatchObject({ matched: 4, changed: 4, exact: true });
    expect((await countsOf(connection(), { name: 'grace', prefix: 'bull' })).completed).toBe(2);
  });
});

describe('an interrupted action reports what it did', () => {
  it('Ctrl-C between batches: exit 130 with the count done', async () => {
    await complete('big', 600);
    let stop: () => void = () => undefined;
    const err = await withConn((c) =>
      performAction(
        c,
        request({
          name: 'big',
          state: 'completed',
          graceMs: 0,
          batchSize: 100,
          onInterrupt: (s) => ((stop = s), () => undefined),
          progress: (done) => done >= 200 && stop(),
        }),
      ).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(130);
    expect((err as CliError).message).toBe('interrupted: deleted 200 of 600 jobs in bull:big');
    expect((err as CliError).hint).toBe('run the same command again to finish');
    expect((await countsOf(connection(), { name: 'big', prefix: 'bull' })).completed).toBe(400);
  });

  it('a server that freezes mid-run: exit 2 with the count done', async () => {
    const err = await withConn((c) =>
      performAction(
        c,
        request({
          name: 'big',
          state: 'completed',
          graceMs: 0,
          batchSize: 100,
          timeoutMs: 800,
          progress: (done) => {
            if (done === 100) server.proc.kill('SIGSTOP');
          },
        }),
      ).catch((e: unknown) => e),
    );
    server.proc.kill('SIGCONT');
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toMatch(
      /^clean of bull:big stopped: BullMQ clean timed out after 800 ms; deleted 100 of 400 jobs \(a batch of up to 100 more was in flight\), run again to finish$/,
    );
    await waitFor(async () => (await admin.ping()) === 'PONG');
    // The batch sent before the freeze runs when the server wakes, as the message warned.
    const left = (await countsOf(connection(), { name: 'big', prefix: 'bull' })).completed;
    expect([200, 300]).toContain(left);
  });
});

/**
 * The same through the real CLI: a real SIGINT sent to the process, and the connection cut,
 * each sprung by a proxy while BullMQ's clean script for a later batch is on its way (its
 * EVALSHA), so the stop lands mid-run every time.
 */
describe('an interrupted action, end to end', () => {
  const waiting = async (name: string, n: number) => {
    const q = new Queue(name, { connection: connection() });
    for (let at = 0; at < n; at += 1000)
      await q.addBulk(Array.from({ length: Math.min(1000, n - at) }, (_, i) => ({ name: 'w', data: { i } })));
    await q.close();
  };
  const spawnClean = (name: string, port: number, extra: string[] = []) =>
    execa(
      'node',
      [
        binPath,
        'queues',
        'clean',
        name,
        '--state',
        'waiting',
        '--grace',
        '0',
        '--yes',
        '--url',
        `redis://127.0.0.1:${port}`,
        ...extra,
      ],
      {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: 30_000,
      },
    );

  it('Ctrl-C (a real SIGINT): exit 130, "deleted N of M jobs", and N is what went', async () => {
    await waiting('sigint', 5000);
    let sub: ReturnType<typeof spawnClean> | undefined;
    // The first clean batch runs; the second waits until the process has its SIGINT.
    const proxy = await startTrapProxy(server.port, {
      command: 'EVALSHA',
      after: 1,
      spring: async (): Promise<TrapAction> => {
        sub?.kill('SIGINT');
        await sleep(500);
        return 'forward';
      },
    });
    try {
      sub = spawnClean('sigint', proxy.port);
      const run = await sub;
      expect(proxy.fired()).toBe(1);
      expect(run.exitCode).toBe(130);
      const m =
        /^✖ interrupted: deleted ([\d,]+) of 5,000 jobs in bull:sigint\n {2}hint: run the same command again to finish$/.exec(
          run.stderr.trim().split('\n').slice(-2).join('\n'),
        );
      expect(m, run.stderr).not.toBeNull();
      const deleted = Number(m?.[1]?.replace(/,/g, ''));
      expect(deleted).toBeGreaterThan(0);
      expect(deleted).toBeLessThan(5000);
      // The batch in flight finished before the report: the count is exact.
      expect((await countsOf(connection(), { name: 'sigint', prefix: 'bull' })).waiting).toBe(5000 - deleted);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await proxy.stop();
    }
  });

  it('the server frozen mid-run (SIGSTOP): exit 2 with the count done and the batch in flight named', async () => {
    await waiting('frozen', 5000);
    let frozen = false;
    const proxy = await startTrapProxy(server.port, {
      command: 'EVALSHA',
      after: 1,
      spring: (): TrapAction => {
        server.proc.kill('SIGSTOP');
        frozen = true;
        return 'forward';
      },
    });
    try {
      const run = await spawnClean('frozen', proxy.port, ['--timeout', '800']);
      server.proc.kill('SIGCONT');
      frozen = false;
      expect(proxy.fired()).toBe(1);
      expect(run.exitCode).toBe(2);
      const m =
        /^✖ clean of bull:frozen stopped: BullMQ clean timed out after 800 ms; deleted ([\d,]+) of 5,000 jobs \(a batch of up to ([\d,]+) more was in flight\), run again to finish\n {2}hint: \S/.exec(
          run.stderr.trim().split('\n').slice(-2).join('\n'),
        );
      expect(m, run.stderr).not.toBeNull();
      const deleted = Number(m?.[1]?.replace(/,/g, ''));
      const inFlight = Number(m?.[2]?.replace(/,/g, ''));
      expect(deleted).toBeGreaterThan(0);
      await waitFor(async () => (await admin.ping()) === 'PONG');
      // The batch sent before the freeze runs when the server wakes, as the message warned.
      const left = (await countsOf(connection(), { name: 'frozen', prefix: 'bull' })).waiting ?? 0;
      expect([5000 - deleted, 5000 - deleted - inFlight]).toContain(left);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      if (frozen) server.proc.kill('SIGCONT');
      await proxy.stop();
    }
  });

  it('the server gone mid-run: exit 2 with the count done', async () => {
    await waiting('gone', 5000);
    const proxy = await startTrapProxy(server.port, { command: 'EVALSHA', after: 1, spring: () => 'drop' });
    try {
      const run = await spawnClean('gone', proxy.port);
      expect(proxy.fired()).toBe(1);
      expect(run.exitCode).toBe(2);
      const last = run.stderr.trim().split('\n').slice(-2).join('\n');
      const m =
        /^✖ clean of bull:gone stopped: Connection is closed\.; deleted ([\d,]+) of 5,000 jobs \(a batch of up to [\d,]+ more was in flight\), run again to finish\n {2}hint: \S/.exec(
          last,
        );
      expect(m, run.stderr).not.toBeNull();
      const deleted = Number(m?.[1]?.replace(/,/g, ''));
      expect(deleted).toBeGreaterThan(0);
      const left = (await countsOf(connection(), { name: 'gone', prefix: 'bull' })).waiting ?? 0;
      expect(5000 - left).toBeGreaterThanOrEqual(deleted);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await proxy.stop();
    }
  });
});

describe('clean planning on waiting, delayed and prioritized is bounded', () => {
  it('reads windows up to a budget and says when the count is an upper bound', async () => {
    const q = new Queue('bounded', { connection: connection() });
    await q.addBulk(Array.from({ length: 2500 }, () => ({ name: 'w', data: {} })));
    await q.addBulk(
      Array.from({ length: 30 }, (_, i) => ({ name: 'p', data: {}, opts: { priority: 1 + i } })),
    );
    await q.addBulk(
      Array.from({ length: 40 }, (_, i) => ({ name: 'd', data: {}, opts: { delay: 3_600_000 + i } })),
    );
    await q.close();
    await admin.call('CONFIG', 'RESETSTAT');
    const plan = await withConn((c) =>
      planClean(
        c.client,
        {
          base: 'bull:bounded',
          prefix: 'bull',
          name: 'bounded',
          version: 'bullmq:6',
          node: 0,
          split: 'name-rule',
        },
        'waiting',
        Date.now(),
        { budget: 1000, window: 250 },
      ),
    );
    expect(plan).toMatchObject({ matched: 2500, exact: false, examined: 1000, total: 2500 });
    const stats = String(await admin.info('commandstats'));
    const calls = (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    expect(calls('lrange')).toBe(4);
    expect(calls('hmget')).toBe(1000);

    // Within the default budget the CLI's count is exact, and says nothing about a bound.
    const { json, run } = await runJson([
      'queues',
      'clean',
      'bounded',
      '--state',
      'prioritized',
      '--grace',
      '0',
      '--dry-run',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ matched: 30, exact: true, dryRun: true });
    expect(run.stderr).not.toContain('upper bound');
    // Delayed: the same bounded windows; nothing is deleted by a dry run.
    await admin.call('CONFIG', 'RESETSTAT');
    const delayed = await runJson([
      'queues',
      'clean',
      'bounded',
      '--state',
      'delayed',
      '--grace',
      '0',
      '--dry-run',
      '--url',
      server.url,
    ]);
    expect(delayed.run.exitCode).toBe(0);
    expect(delayed.json).toMatchObject({ matched: 40, exact: true, dryRun: true });
    const after = String(await admin.info('commandstats'));
    // One window of ids and one HMGET per delayed job: no read of the other states' jobs.
    expect(Number(/cmdstat_zrange:calls=(\d+)/.exec(after)?.[1])).toBe(1);
    expect((await countsOf(connection(), { name: 'bounded', prefix: 'bull' })).delayed).toBe(40);
  });
});

describe('actions where writing is impossible: one line, exit 2, nothing changed', () => {
  let replica: RedisServer;
  let acl: RedisServer;

  beforeAll(async () => {
    const q = new Queue('ro', { connection: connection() });
    await q.add('j', {});
    await q.close();
    replica = await startRedis({ config: [`replicaof 127.0.0.1 ${server.port}`] });
    const r = replica.client();
    await waitFor(async () => String(await r.info('replication')).includes('master_link_status:up'));
    await waitFor(async () => (await r.exists('bull:ro:meta')) === 1);
    // May read and run Lua, may not write.
    acl = await startRedis({
      acl: ['user reader on >reader-Pw-1 ~* &* +@read +@scripting +@connection +info +client'],
    });
    const q2 = new Queue('ro', { connection: { host: '127.0.0.1', port: acl.port } });
    await q2.add('j', {});
    await q2.close();
  });

  afterAll(async () => {
    await Promise.all([replica?.stop(), acl?.stop()]);
  });

  it('on a replica: READONLY named before asking', async () => {
    const run = await runCli(['queues', 'pause', 'ro', '--yes', '--url', replica.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      '✖ cannot pause bull:ro: the server is a read-only replica (writes answer READONLY); nothing changed',
      '  hint: connect to the primary (the writable endpoint)',
    ]);
  });

  it('as a user who may EVAL but not write: NOPERM named', async () => {
    const url = `redis://reader:reader-Pw-1@127.0.0.1:${acl.port}`;
    const run = await runCli(['queues', 'pause', 'ro', '--yes', '--url', url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("✖ cannot pause bull:ro: this user may not write the queue's keys (NOPERM)");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain('reader-Pw-1');
    const q = new Queue('ro', { connection: { host: '127.0.0.1', port: acl.port }, skipMetasUpdate: true });
    expect(await q.isPaused()).toBe(false);
    await q.close();
  });
});
