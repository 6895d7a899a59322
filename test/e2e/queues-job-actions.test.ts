import Bull from 'bull';
import { FlowProducer, Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performJobsAction, type JobsActionRequest } from '../../src/commands/queues/jobs-action.js';
import { CliError } from '../../src/errors.js';
import { openConnection, type Connection } from '../../src/redis/connect.js';
import { resolveTarget } from '../../src/redis/target.js';
import { runCli, runJson } from '../helpers/cli.js';
import { dataDigest } from '../helpers/data-digest.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * Issue 18's job-level actions with real BullMQ producers and workers: one job
 * (`queues job <q> <id> <action>`) and a filtered set (`queues jobs <q> ... <action>`), each
 * checked with BullMQ's own reads afterwards; the guards of issue 13 (no terminal, dry run,
 * wrong state, a worker's lock, a replica, a user who may not write, an old bull queue).
 */
let server: RedisServer;
let admin: Redis;
let release: () => void = () => undefined;
let holder: Worker | undefined;
const panes: Pane[] = [];
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
const digest = (): Promise<string> => dataDigest(admin);
const url = () => server.url;

/** Jobs that fail with the reasons given (one attempt each, unless `attempts`); returns their ids. */
async function failJobs(name: string, reasons: string[], attempts = 1): Promise<string[]> {
  const q = new Queue(name, { connection: connection() });
  const jobs = await q.addBulk(reasons.map((r) => ({ name: 'send', data: { fail: r }, opts: { attempts } })));
  const before = (await q.getJobCounts('failed')).failed ?? 0;
  const w = new Worker(
    name,
    async (job) => {
      throw new Error(job.data.fail as string);
    },
    { connection: connection(), concurrency: 4 },
  );
  await waitFor(
    async () => (await q.getJobCounts('failed')).failed === before + reasons.length,
    15_000,
    'failures',
  );
  await w.close();
  await q.close();
  return jobs.map((j) => j.id ?? '');
}

async function stateOf(name: string, id: string): Promise<string> {
  const q = new Queue(name, { connection: connection(), skipMetasUpdate: true, skipVersionCheck: true });
  try {
    const job = await Job.fromId(q, id);
    return job ? await job.getState() : 'gone';
  } finally {
    await q.close();
  }
}

async function withConn<T>(run: (c: Connection) => Promise<T>): Promise<T> {
  const c = await openConnection(resolveTarget({ url: server.url }, {}, process.cwd()));
  try {
    return await run(c);
  } finally {
    await c.close();
  }
}

const request = (over: Partial<JobsActionRequest>): JobsActionRequest => ({
  target: server.url,
  name: 'mail',
  prefixes: [],
  action: 'retry',
  reason: '',
  yes: true,
  dryRun: false,
  interactive: false,
  timeoutMs: 5000,
  confirm: async () => true,
  announce: () => undefined,
  filter: { states: ['failed'], limit: 100_000, scanLimit: 100_000 },
  filterText: 'failed',
  ...over,
});

beforeAll(async () => {
  server = await startRedis({ config: ['enable-debug-command yes'] });
  admin = server.client();
  // mail: 1-6 failed (odd ECONNRESET, even "bad address"), 7 delayed, 8 waiting.
  await failJobs('mail', [
    'ECONNRESET',
    'bad address',
    'ECONNRESET',
    'bad address',
    'ECONNRESET',
    'bad address',
  ]);
  const mail = new Queue('mail', { connection: connection() });
  await mail.add('later', {}, { delay: 3_600_000 });
  await mail.add('wait', {});
  await mail.close();
  // held: one job active under a running worker (its lock renewed).
  const held = new Queue('held', { connection: connection() });
  await held.add('hold', {});
  holder = new Worker('held', () => new Promise<void>((r) => (release = r)), { connection: connection() });
  await waitFor(async () => (await held.getJobCounts('active')).active === 1, 15_000, 'held active');
  await held.close();
  // stuck: two jobs left active by a worker that died (lock of 1 s, gone when it expires).
  const stuck = new Queue('stuck', { connection: connection() });
  await stuck.addBulk([
    { name: 'a', data: {}, opts: { attempts: 3 } },
    { name: 'b', data: {}, opts: { attempts: 3 } },
  ]);
  const dying = new Worker('stuck', () => new Promise<void>(() => undefined), {
    connection: connection(),
    concurrency: 2,
    lockDuration: 1000,
  });
  await waitFor(async () => (await stuck.getJobCounts('active')).active === 2, 15_000, 'stuck active');
  await dying.close(true);
  await waitFor(
    async () => (await admin.exists('bull:stuck:1:lock', 'bull:stuck:2:lock')) === 0,
    10_000,
    'locks to expire',
  );
  await stuck.close();
  // legacy: a queue of the old bull package with a failed job.
  const legacy = new Bull('legacy', { redis: { host: '127.0.0.1', port: server.port } });
  await legacy.add({}, { attempts: 1 });
  const failed = new Promise<void>((r) => legacy.on('failed', () => r()));
  void legacy.process(async () => {
    throw new Error('legacy failure');
  });
  await failed;
  await legacy.close();
}, 60_000);

afterAll(async () => {
  for (const p of panes) p.kill();
  release();
  await holder?.close();
  await server?.stop();
});

describe('queues job <queue> <id> <action>', () => {
  it('without a terminal and without --yes: exit 2; --dry-run shows the plan; neither writes', async () => {
    const before = await digest();
    const run = await runCli(['queues', 'job', 'mail', '1', 'retry', '--url', url()]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'retry job 1 (send, failed) of bull:mail: back to wait (1 of 1 attempts made)',
    );
    expect(run.stderr).toContain('✖ refusing to retry without confirmation: no terminal to ask on');
    const dry = await runJson(['queues', 'job', 'mail', '1', 'retry', '--dry-run', '--url', url()]);
    expect(dry.run.exitCode).toBe(0);
    expect(dry.json).toMatchObject({
      id: '1',
      action: 'retry',
      dryRun: true,
      stateBefore: 'failed',
      stateAfter: null,
    });
    expect(await digest()).toBe(before);
  });

  it('retry, promote and remove act through BullMQ', async () => {
    const retry = await runJson(['queues', 'job', 'mail', '2', 'retry', '--yes', '--url', url()]);
    expect(retry.run.exitCode).toBe(0);
    expect(retry.json).toMatchObject({ stateBefore: 'failed', stateAfter: 'waiting', dryRun: false });
    expect(await stateOf('mail', '2')).toBe('waiting');
    const promote = await runCli(['queues', 'job', 'mail', '7', 'promote', '--yes', '--url', url()]);
    expect(promote.stdout).toBe('✔ promoted job 7 of bull:mail: delayed → waiting');
    expect(await stateOf('mail', '7')).toBe('waiting');
    const remove = await runCli(['queues', 'job', 'mail', '8', 'remove', '--yes', '--url', url()]);
    expect(remove.stdout).toBe('✔ removed job 8 of bull:mail: waiting → gone');
    expect(await admin.exists('bull:mail:8')).toBe(0);
  });

  it('on a terminal: the plan is the question; "n" changes nothing (130), "y" acts', async () => {
    await failJobs('tty', ['boom']);
    const ask = async (answer: string): Promise<{ code: number; text: string }> => {
      const p = openPane(['queues', 'job', 'tty', '1', 'retry', '--url', url()], { width: 160 });
      panes.push(p);
      await waitFor(async () => p.capture().some((l) => l.includes('attempts made)?')), 20_000, 'the prompt');
      p.keys(answer);
      p.keys('Enter');
      const code = await p.done();
      return { code, text: output(p.capture()).join('\n') };
    };
    const before = await digest();
    const no = await ask('n');
    expect(no.code).toBe(130);
    expect(no.text).toContain('retry job 1 (send, failed) of bull:tty: back to wait (1 of 1 attempts made)?');
    expect(no.text).toContain('cancelled: nothing changed');
    expect(await digest()).toBe(before);
    const yes = await ask('y');
    expect(yes.code).toBe(0);
    expect(yes.text).toContain('✔ retried job 1 of bull:tty: failed → waiting');
    expect(await stateOf('tty', '1')).toBe('waiting');
  }, 40_000);

  it('wrong state, unknown id, a locked active job, a missing --reason: one line, exit 2, nothing written', async () => {
    const before = await digest();
    const cases: Array<[string[], string]> = [
      [
        ['mail', '1', 'promote'],
        '✖ cannot promote job 1 of bull:mail: it is failed, and promote applies to delayed jobs; nothing changed',
      ],
      [['mail', '999', 'retry'], '✖ no job 999 in bull:mail'],
      [
        ['held', '1', 'remove'],
        '✖ cannot remove job 1 of bull:held: it is active and a worker holds its lock (',
      ],
      [
        ['held', '1', 'move-to-failed', '--reason', 'x'],
        '✖ cannot move-to-failed job 1 of bull:held: it is active and a worker holds its lock',
      ],
      [['stuck', '1', 'discard'], '✖ discard needs --reason <text>'],
      [['mail', '1', 'retry', '--reason', 'x'], '✖ --reason goes with discard and move-to-failed, not retry'],
      [['mail', '1', 'explode'], '✖ unknown action: explode'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['queues', 'job', ...args, '--yes', '--url', url()]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await digest()).toBe(before);
  });

  it('remove takes a flow parent with its children (the plan counts them); a job scheduler run is refused', async () => {
    // Only a FlowProducer writes these queues: no meta.version (only Queue writes it), yet BullMQ's.
    const flows = new FlowProducer({ connection: connection() });
    const tree = await flows.add({
      name: 'report',
      queueName: 'reports',
      children: [
        { name: 'part', queueName: 'parts', data: { i: 1 } },
        { name: 'part', queueName: 'parts', data: { i: 2 } },
      ],
    });
    await flows.close();
    const parent = tree.job.id ?? '';
    expect(await admin.hexists('bull:reports:meta', 'version')).toBe(0);
    const run = await runCli(['queues', 'job', 'reports', parent, 'remove', '--yes', '--url', url()]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `remove job ${parent} (report, waiting-children) of bull:reports with its logs and its 2 child jobs (and theirs)`,
    );
    for (const child of tree.children ?? []) expect(await stateOf('parts', child.job.id ?? '')).toBe('gone');

    const sched = new Queue('sched', { connection: connection() });
    await sched.upsertJobScheduler('yearly', { pattern: '0 0 1 1 *' }, { name: 'tick' });
    const [next] = await sched.getJobs(['delayed', 'wait']);
    expect(next?.id).toMatch(/^repeat:/);
    await sched.close();
    const before = await digest();
    const refused = await runCli([
      'queues',
      'job',
      'sched',
      next?.id ?? '',
      'remove',
      '--yes',
      '--url',
      url(),
    ]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `✖ cannot remove job ${next?.id} of bull:sched: it is the next run of a job scheduler`,
    );
    const set = await runJson(['queues', 'jobs', 'sched', 'remove', '--yes', '--url', url()]);
    expect(set.json).toMatchObject({
      matched: 1,
      changed: 0,
      skipped: [{ id: next?.id, why: expect.stringContaining('job scheduler') }],
    });
    expect(await digest()).toBe(before);
  });

  it('move-to-failed fails one attempt (BullMQ retries it); discard fails it for good', async () => {
    const moved = await runJson([
      'queues',
      'job',
      'stuck',
      '1',
      'move-to-failed',
      '--reason',
      'worker gone',
      '--yes',
      '--url',
      url(),
    ]);
    expect(moved.run.exitCode).toBe(0);
    expect(moved.run.stderr).toContain(
      'fail one attempt of job 1 (a, active, no lock) of bull:stuck with reason "worker gone": 0 of 3 attempts made, so BullMQ retries it',
    );
    expect(moved.json).toMatchObject({ stateBefore: 'active', stateAfter: 'waiting', reason: 'worker gone' });
    const discarded = await runJson([
      'queues',
      'job',
      'stuck',
      '2',
      'discard',
      '--reason',
      'bad payload',
      '--yes',
      '--url',
      url(),
    ]);
    expect(discarded.json).toMatchObject({
      stateBefore: 'active',
      stateAfter: 'failed',
      reason: 'bad payload',
    });
    const q = new Queue('stuck', { connection: connection(), skipMetasUpdate: true, skipVersionCheck: true });
    const job = await Job.fromId(q, '2');
    expect(job?.failedReason).toBe('bad payload');
    expect(job?.attemptsMade).toBe(1);
    await q.close();
  });
});

describe('queues jobs <queue> <filters> <action>', () => {
  it('the preview lists exactly the ids it will touch; --dry-run --json lists them all', async () => {
    const before = await digest();
    const { json, run } = await runJson([
      'queues',
      'jobs',
      'mail',
      '--state',
      'failed',
      '--failed-reason',
      'ECONNRESET',
      'retry',
      '--dry-run',
      '--url',
      url(),
    ]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({
      action: 'retry',
      dryRun: true,
      matched: 3,
      changed: null,
      budgetHit: false,
    });
    expect([...json.ids].sort()).toEqual(['1', '3', '5']);
    expect(run.stderr).toContain(
      'retry 3 jobs of bull:mail (failed; failed reason contains "ECONNRESET"): ids 1, 3, 5 (',
    );
    const bounded = await runJson([
      'queues',
      'jobs',
      'mail',
      '--state',
      'failed',
      '--scan-limit',
      '2',
      'remove',
      '--dry-run',
      '--url',
      url(),
    ]);
    expect(bounded.json).toMatchObject({ examined: 2, budgetHit: true, matched: 2 });
    expect(bounded.run.stderr).toContain('the search stopped at --scan-limit 2: more jobs may match');
    const wrong = await runCli([
      'queues',
      'jobs',
      'mail',
      '--state',
      'waiting',
      'promote',
      '--yes',
      '--url',
      url(),
    ]);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('✖ promote does not apply to waiting jobs');
    expect(await digest()).toBe(before);
  });

  it('acts on the previewed ids only: a job that arrives later is not touched, one that moved is skipped', async () => {
    await failJobs('batch', ['ECONNRESET', 'ECONNRESET', 'ECONNRESET', 'other']);
    let extra: string[] = [];
    const r = await withConn((c) =>
      performJobsAction(
        c,
        request({
          name: 'batch',
          yes: false,
          interactive: true,
          filter: { states: ['failed'], failedReason: 'ECONNRESET', limit: 100_000, scanLimit: 100_000 },
          // While the person reads: a new matching failure arrives, and someone retries job 2.
          confirm: async () => {
            extra = await failJobs('batch', ['ECONNRESET']);
            const q = new Queue('batch', { connection: connection(), skipMetasUpdate: true });
            await (await Job.fromId(q, '2'))?.retry();
            await q.close();
            return true;
          },
        }),
      ),
    );
    expect(r.planned.map((p) => p.id).sort()).toEqual(['1', '2', '3']);
    expect([...r.changed].sort()).toEqual(['1', '3']);
    expect(r.skipped).toEqual([{ id: '2', why: 'now waiting' }]);
    expect(await stateOf('batch', extra[0] ?? '')).toBe('failed');
    expect(await stateOf('batch', '4')).toBe('failed');
  });

  it('Ctrl-C between jobs: exit 130 with "retried N of M"', async () => {
    await failJobs(
      'many',
      Array.from({ length: 6 }, () => 'boom'),
    );
    let stop: () => void = () => undefined;
    const err = await withConn((c) =>
      performJobsAction(
        c,
        request({
          name: 'many',
          onInterrupt: (s) => ((stop = s), () => undefined),
          progress: (done) => done === 2 && stop(),
        }),
      ).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(130);
    expect((err as CliError).message).toBe('interrupted: retried 2 of 6 jobs in bull:many');
    const q = new Queue('many', { connection: connection(), skipMetasUpdate: true });
    expect(await q.getJobCounts('failed', 'wait')).toEqual({ failed: 4, wait: 2 });
    await q.close();
  });

  it('a server that freezes mid-run: exit 2 with the count done', async () => {
    await failJobs(
      'frozen',
      Array.from({ length: 5 }, () => 'boom'),
    );
    const err = await withConn((c) =>
      performJobsAction(
        c,
        request({
          name: 'frozen',
          timeoutMs: 800,
          progress: (done) => done === 2 && server.proc.kill('SIGSTOP'),
        }),
      ).catch((e: unknown) => e),
    );
    server.proc.kill('SIGCONT');
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toMatch(
      /^retry jobs of bull:frozen stopped: reading job \d timed out after 800 ms; retried 2 of 5 jobs, run again to finish$/,
    );
    await waitFor(async () => (await admin.ping()) === 'PONG');
    const q = new Queue('frozen', { connection: connection(), skipMetasUpdate: true });
    expect(await q.getJobCounts('failed', 'wait')).toEqual({ failed: 3, wait: 2 });
    await q.close();
  });

  it('a whole run through the CLI: exact counts', async () => {
    const { json, run } = await runJson([
      'queues',
      'jobs',
      'mail',
      '--state',
      'failed',
      '--failed-reason',
      'bad address',
      'remove',
      '--yes',
      '--url',
      url(),
    ]);
    expect(run.exitCode).toBe(0);
    // Job 2 was retried above: 4 and 6 are left with that reason.
    expect(json).toMatchObject({ matched: 2, changed: 2, skipped: [] });
    expect(await admin.exists('bull:mail:4', 'bull:mail:6')).toBe(0);
    expect(
      (
        await runCli([
          'queues',
          'jobs',
          'mail',
          '--state',
          'failed',
          '--failed-reason',
          'nothing-like-it',
          'retry',
          '--yes',
          '--url',
          url(),
        ])
      ).stdout,
    ).toMatch(/^✔ nothing to do: no job of bull:mail matches/);
  });
});

describe('an old bull queue: refused, never written', () => {
  it('job and jobs actions refuse with the reason', async () => {
    const before = await digest();
    for (const args of [
      ['job', 'legacy', '1', 'retry'],
      ['jobs', 'legacy', 'retry'],
      ['job', 'legacy', '1', 'remove'],
    ]) {
      const run = await runCli(['queues', ...args, '--yes', '--url', url()]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(
        `✖ cannot ${args[3] ?? args[2]} bull:legacy: it has no BullMQ meta version, so it is a queue of the old "bull" package`,
      );
    }
    expect(await digest()).toBe(before);
  });
});

describe('where writing is impossible', () => {
  let replica: RedisServer;
  let acl: RedisServer;

  beforeAll(async () => {
    replica = await startRedis({ config: [`replicaof 127.0.0.1 ${server.port}`] });
    const r = replica.client();
    await waitFor(async () => String(await r.info('replication')).includes('master_link_status:up'));
    await waitFor(async () => (await r.exists('bull:mail:1')) === 1);
    acl = await startRedis({
      acl: ['user reader on >reader-Pw-1 ~* &* +@read +@scripting +@connection +info +client'],
    });
    const q = new Queue('ro', { connection: { host: '127.0.0.1', port: acl.port } });
    await q.add('j', {}, { delay: 60_000 });
    await q.close();
  });

  afterAll(async () => {
    await Promise.all([replica?.stop(), acl?.stop()]);
  });

  it('a replica: READONLY named before anything is asked', async () => {
    const run = await runCli(['queues', 'job', 'mail', '1', 'retry', '--yes', '--url', replica.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toBe(
      '✖ cannot retry bull:mail: the server is a read-only replica (writes answer READONLY); nothing changed\n  hint: connect to the primary (the writable endpoint)',
    );
  });

  it('a user who may EVAL but not write: NOPERM named, no stack, no password', async () => {
    const u = `redis://reader:reader-Pw-1@127.0.0.1:${acl.port}`;
    for (const args of [
      ['job', 'ro', '1', 'promote'],
      ['jobs', 'ro', 'promote'],
    ]) {
      const run = await runCli(['queues', ...args, '--yes', '--url', u]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(
        /✖ cannot promote (job 1 of )?(jobs of )?bull:ro: this user may not write the queue's keys \(NOPERM\); nothing changed/,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr).not.toContain('reader-Pw-1');
    }
  });
});
