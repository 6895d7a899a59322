import Bull from 'bull';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performWipe } from '../../src/commands/queues/wipe.js';
import type { WipeRequest } from '../../src/commands/queues/types.js';
import { CliError } from '../../src/errors.js';
import { openConnection } from '../../src/redis/connect.js';
import { resolveTarget } from '../../src/redis/target.js';
import { runCli, runJson } from '../helpers/cli.js';
import { dataDigest } from '../helpers/data-digest.js';
import { countsOf, waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * `queues drain`, `queues obliterate` (typed queue name on a terminal, --yes --force without
 * one, refused while workers hold jobs) and `queues retry --all-queues`, with real BullMQ
 * producers and workers and a real terminal (tmux) for the confirmations.
 */
let server: RedisServer;
let admin: Redis;
let release: () => void = () => undefined;
let holder: Worker | undefined;
const panes: Pane[] = [];
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
const ref = (name: string) => ({ name, prefix: 'bull' });
const digest = (): Promise<string> => dataDigest(admin);

async function keysOf(base: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${base}:*`, 'COUNT', 1000);
    out.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return out;
}

/** 1 completed, `failed` failed, 3 waiting, 2 prioritized, 1 delayed. */
async function pile(name: string, failed = 2): Promise<void> {
  const q = new Queue(name, { connection: connection() });
  await q.addBulk([
    { name: 'ok', data: {} },
    ...Array.from({ length: failed }, () => ({ name: 'bad', data: { fail: true } })),
  ]);
  const w = new Worker(
    name,
    async (job) => {
      if (job.data.fail) throw new Error('boom');
    },
    { connection: connection() },
  );
  await waitFor(async () => {
    const c = await q.getJobCounts('completed', 'failed');
    return c.completed === 1 && c.failed === failed;
  });
  await w.close();
  await q.addBulk([1, 2, 3].map(() => ({ name: 'w', data: {} })));
  await q.add('p', {}, { priority: 1 });
  await q.add('p', {}, { priority: 2 });
  await q.add('d', {}, { delay: 3_600_000 });
  await q.close();
}

async function typeIn(args: string[], answer: string): Promise<{ code: number; lines: string[] }> {
  const p = openPane([...args, '--url', server.url], { width: 160 });
  panes.push(p);
  await waitFor(async () => p.capture().some((l) => l.includes('Type the queue name')), 20_000, 'the prompt');
  p.keys('-l', answer);
  p.keys('Enter');
  const code = await p.done();
  return { code, lines: output(p.capture()) };
}

beforeAll(async () => {
  server = await startRedis({ config: ['enable-debug-command yes'] });
  admin = server.client();
  await Promise.all([pile('pile'), pile('gone'), pile('all-a', 2), pile('all-b', 1)]);
  const held = new Queue('held', { connection: connection() });
  await held.add('hold', {});
  await held.add('next', {});
  holder = new Worker('held', () => new Promise<void>((r) => (release = r)), { connection: connection() });
  await waitFor(async () => (await held.getJobCounts('active')).active === 1);
  await held.close();
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

describe('queues drain', () => {
  it('--dry-run counts what goes by state; without a terminal --yes alone is refused; nothing written', async () => {
    const before = await digest();
    const { json, run } = await runJson(['queues', 'drain', 'pile', '--dry-run', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({
      action: 'drain',
      dryRun: true,
      toGo: { waiting: 3, prioritized: 2 },
      planned: 5,
      went: null,
    });
    const yes = await runCli(['queues', 'drain', 'pile', '--yes', '--url', server.url]);
    expect(yes.exitCode).toBe(2);
    expect(yes.stderr).toContain(
      '✖ refusing to drain bull:pile without confirmation: no terminal to type the queue name on',
    );
    expect(yes.stderr).toContain(
      'hint: pass --yes --force to confirm without a terminal, or --dry-run to preview',
    );
    expect(await digest()).toBe(before);
  });

  it('refused while a worker holds an active job, unless --force', async () => {
    const run = await runCli(['queues', 'drain', 'held', '--url', server.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      '✖ refusing to drain bull:held: workers hold 1 job in active (a lock is set); nothing changed',
    );
    expect((await countsOf(connection(), ref('held'))).waiting).toBe(1);
    const forced = await runJson(['queues', 'drain', 'held', '--yes', '--force', '--url', server.url]);
    expect(forced.json).toMatchObject({ active: { active: 1, locked: 1 }, went: { waiting: 1 }, gone: 1 });
    expect(await countsOf(connection(), ref('held'))).toMatchObject({ active: 1, waiting: 0 });
  });

  it('--yes --force: what went, checked with getJobCounts; --delayed takes delayed jobs too', async () => {
    const { json } = await runJson(['queues', 'drain', 'pile', '--yes', '--force', '--url', server.url]);
    expect(json).toMatchObject({ went: { waiting: 3, prioritized: 2 }, gone: 5 });
    expect(await countsOf(connection(), ref('pile'))).toMatchObject({
      waiting: 0,
      prioritized: 0,
      delayed: 1,
      completed: 1,
      failed: 2,
    });
    const text = await runCli([
      'queues',
      'drain',
      'pile',
      '--delayed',
      '--yes',
      '--force',
      '--url',
      server.url,
    ]);
    expect(text.stdout).toBe('✔ drained bull:pile: 1 job deleted (1 delayed)');
    expect((await countsOf(connection(), ref('pile'))).delayed).toBe(0);
  });
});

describe('queues obliterate on a terminal: the typed queue name', () => {
  it('a wrong name cancels (exit 130), nothing written', async () => {
    const before = await digest();
    const { code, lines } = await typeIn(['queues', 'obliterate', 'gone'], 'pile');
    expect(code).toBe(130);
    expect(lines.join('\n')).toContain(
      'obliterate bull:gone: delete 9 jobs (3 waiting, 1 delayed, 2 prioritized, 1 completed, 2 failed)',
    );
    expect(lines.join('\n')).toContain('cancelled: "pile" is not gone; nothing changed');
    expect(await digest()).toBe(before);
  }, 40_000);

  it('the right name: every key of the queue is gone', async () => {
    const { code, lines } = await typeIn(['queues', 'obliterate', 'gone'], 'gone');
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toContain('✔ obliterated bull:gone: 9 jobs deleted');
    expect(await keysOf('bull:gone')).toEqual([]);
  }, 40_000);

  it('interrupted between batches: exit 130 with what was deleted', async () => {
    const q = new Queue('big', { connection: connection() });
    await q.addBulk(Array.from({ length: 2500 }, (_, i) => ({ name: 'j', data: { i } })));
    await q.close();
    const c = await openConnection(resolveTarget({ url: server.url }, {}, process.cwd()));
    let stop: () => void = () => undefined;
    const req: WipeRequest = {
      action: 'obliterate',
      name: 'big',
      prefixes: [],
      target: server.url,
      delayed: false,
      yes: true,
      force: true,
      dryRun: false,
      interactive: false,
      timeoutMs: 5000,
      ask: async () => '',
      announce: () => undefined,
      onInterrupt: (s) => ((stop = s), () => undefined),
      progress: () => stop(),
    };
    const err = await performWipe(c, req)
      .catch((e: unknown) => e)
      .finally(() => c.close());
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(130);
    expect((err as CliError).message).toBe(
      'interrupted: obliterate of bull:big deleted 1,000 jobs of 2,500 jobs (1,000 waiting); the queue is paused',
    );
    expect(await countsOf(connection(), ref('big'))).toMatchObject({ waiting: 1500 });
  });

  it('an old bull queue is refused', async () => {
    const before = await digest();
    for (const action of ['drain', 'obliterate']) {
      const run = await runCli(['queues', action, 'legacy', '--yes', '--force', '--url', server.url]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`✖ cannot ${action} bull:legacy: it has no BullMQ meta version`);
    }
    expect(await digest()).toBe(before);
  });
});

describe('queues retry --all-queues', () => {
  it('the per-queue plan, then exact per-queue results; the bull queue is skipped and untouched', async () => {
    const dry = await runJson([
      'queues',
      'retry',
      '--all-queues',
      '--state',
      'failed',
      '--dry-run',
      '--url',
      server.url,
    ]);
    expect(dry.run.exitCode).toBe(0);
    const row = (key: string) => dry.json.queues.find((x: { key: string }) => x.key === key);
    expect(row('bull:all-a')).toMatchObject({ matched: 2, changed: null, skipped: null });
    expect(row('bull:all-b')).toMatchObject({ matched: 1 });
    expect(row('bull:legacy')).toMatchObject({
      matched: null,
      skipped: expect.stringContaining('old "bull" package'),
    });
    expect(dry.run.stderr).toMatch(/ {2}bull:all-a +2\n/);

    const p = openPane(['queues', 'retry', '--all-queues', '--url', server.url], { width: 160 });
    panes.push(p);
    await waitFor(
      async () => p.capture().some((l) => l.includes('across these queues?')),
      20_000,
      'the prompt',
    );
    p.keys('y');
    p.keys('Enter');
    expect(await p.done()).toBe(0);
    const text = output(p.capture()).join('\n');
    expect(text).toContain('bull:all-a: 2 of 2');
    expect(text).toContain('bull:all-b: 1 of 1');
    expect(text).toContain('⚠ bull:legacy: skipped');
    expect(await countsOf(connection(), ref('all-a'))).toMatchObject({ failed: 0 });
    expect(await countsOf(connection(), ref('all-b'))).toMatchObject({ failed: 0 });
    const legacy = new Bull('legacy', { redis: { host: '127.0.0.1', port: server.port } });
    expect((await legacy.getJobCounts()).failed).toBe(1);
    await legacy.close();
  }, 40_000);
});
