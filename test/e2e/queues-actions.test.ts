import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performAction } from '../../src/commands/queues/actions.js';
import type { ActionRequest } from '../../src/commands/queues/types.js';
import { CancelledError } from '../../src/errors.js';
import { openConnection } from '../../src/redis/connect.js';
import { resolveTarget } from '../../src/redis/target.js';
import { runCli, runJson } from '../helpers/cli.js';
import { buildQueues, countsOf } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

let server: RedisServer;
let acl: RedisServer;
let admin: Redis;
const conn = (s: RedisServer) => ({ host: '127.0.0.1', port: s.port });
const email = { name: 'email', prefix: 'bull' };
const digest = async (): Promise<string> => String(await admin.call('DEBUG', 'DIGEST'));

beforeAll(async () => {
  [server, acl] = await Promise.all([
    startRedis({ config: ['enable-debug-command yes'] }),
    // No Lua and no CLIENT LIST for "nolua"; the default user builds the queues.
    startRedis({ acl: ['user nolua on >nolua-Pw-1 ~* &* +@all -@scripting -client|list'] }),
  ]);
  await Promise.all([buildQueues(conn(server)), buildQueues(conn(acl))]);
  admin = server.client();
  for (const k of ['bull:email', 'myapp:jobs:reports', 'bull:flow-parent', 'bull:flow-child'])
    await admin.del(`${k}:stalled-check`);
});

afterAll(async () => {
  await Promise.all([server?.stop(), acl?.stop()]);
});

describe('queues actions: safe by default', () => {
  it('without a terminal and without --yes: exit 2, nothing changed', async () => {
    const before = await digest();
    for (const args of [
      ['retry', 'email'],
      ['promote', 'email'],
      ['clean', 'email', '--state', 'completed', '--grace', '0'],
      ['pause', 'email'],
    ]) {
      const run = await runCli(['queues', ...args, '--url', server.url]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(`✖ refusing to ${args[0]} without confirmation`);
      expect(run.stderr).toContain('hint: pass --yes to confirm, or --dry-run to preview');
    }
    expect(await digest()).toBe(before);
  });

  it('--dry-run shows what it would touch and changes nothing', async () => {
    const before = await digest();
    const { json, run } = await runJson([
      'queues',
      'clean',
      'email',
      '--state',
      'failed',
      '--grace',
      '0',
      '--dry-run',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ action: 'clean', state: 'failed', dryRun: true, matched: 3, changed: null });
    expect(run.stderr).toContain('delete up to 3 jobs in failed of bull:email older than 0s');
    const grace = await runJson([
      'queues',
      'clean',
      'email',
      '--state',
      'completed',
      '--grace',
      '1h',
      '--dry-run',
      '--url',
      server.url,
    ]);
    expect(grace.json.matched).toBe(0);
    expect(await digest()).toBe(before);
  });

  it('a declined confirmation cancels and changes nothing', async () => {
    const before = await digest();
    const c = await openConnection(resolveTarget({ url: server.url }, {}, process.cwd()));
    const req: ActionRequest = {
      action: 'promote',
      name: 'email',
      prefixes: [],
      yes: false,
      dryRun: false,
      interactive: true,
      timeoutMs: 5000,
      confirm: async () => false,
      announce: () => undefined,
    };
    try {
      await expect(performAction(c, req)).rejects.toBeInstanceOf(CancelledError);
    } finally {
      await c.close();
    }
    expect(await digest()).toBe(before);
  });
});

describe('queues actions: each one checked with BullMQ', () => {
  it('retry moves failed jobs back to wait', async () => {
    const before = await countsOf(conn(server), email);
    const { json, run } = await runJson(['queues', 'retry', 'email', '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ action: 'retry', state: 'failed', matched: 3, changed: 3, dryRun: false });
    const after = await countsOf(conn(server), email);
    expect(after.failed).toBe(0);
    expect(after.waiting).toBe((before.waiting ?? 0) + 3);
  });

  it('promote runs delayed jobs now (after an interactive yes)', async () => {
    const c = await openConnection(resolveTarget({ url: server.url }, {}, process.cwd()));
    const asked: string[] = [];
    try {
      const r = await performAction(c, {
        action: 'promote',
        name: 'email',
        prefixes: [],
        yes: false,
        dryRun: false,
        interactive: true,
        timeoutMs: 5000,
        confirm: async (m) => (asked.push(m), true),
        announce: () => undefined,
      });
      expect(r.changed).toBe(1);
    } finally {
      await c.close();
    }
    expect(asked).toEqual(['promote 1 job in delayed of bull:email (moved to wait now)?']);
    expect((await countsOf(conn(server), email)).delayed).toBe(0);
  });

  it('clean deletes completed jobs older than the grace period', async () => {
    const run = await runCli([
      'queues',
      'clean',
      'email',
      '--state',
      'completed',
      '--grace',
      '0',
      '--yes',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✔ deleted 3 jobs in completed of bull:email');
    expect((await countsOf(conn(server), email)).completed).toBe(0);
  });

  it('pause and resume', async () => {
    const q = new Queue('email', { connection: conn(server), skipMetasUpdate: true, skipVersionCheck: true });
    try {
      expect((await runCli(['queues', 'pause', 'email', '--yes', '--url', server.url])).exitCode).toBe(0);
      expect(await q.isPaused()).toBe(true);
      const again = await runCli(['queues', 'pause', 'email', '--url', server.url]);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toContain('nothing to do: bull:email is already paused');
      expect((await runCli(['queues', 'resume', 'email', '--yes', '--url', server.url])).exitCode).toBe(0);
      expect(await q.isPaused()).toBe(false);
    } finally {
      await q.close();
    }
  });

  it('acts on a queue whose prefix contains ":"', async () => {
    const run = await runCli(['queues', 'resume', 'reports', '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('✔ resumed myapp:jobs:reports');
    const q = new Queue('reports', {
      connection: conn(server),
      prefix: 'myapp:jobs',
      skipMetasUpdate: true,
      skipVersionCheck: true,
    });
    expect(await q.isPaused()).toBe(false);
    await q.close();
  });
});

describe('queues where EVAL and CLIENT LIST are denied', () => {
  const url = () => `redis://nolua:nolua-Pw-1@127.0.0.1:${acl.port}`;

  it('counts still come from pipelined reads and equal getJobCounts; the output says so', async () => {
    const { json, run } = await runJson(['queues', '--url', url()]);
    expect(run.exitCode).toBe(0);
    expect(json.eval).toBe('denied');
    expect(json.workersFrom).toBe('stalled-check');
    expect(json.countsFrom).toBe('pipeline');
    const row = json.queues.find((q: { key: string }) => q.key === 'bull:email');
    expect(row.counts).toEqual(await countsOf(conn(acl), email));
    expect(row.workers).toBeNull();
    const text = await runCli(['queues', '--url', url()]);
    expect(text.stdout).toContain('EVAL is denied for this user');
    expect(text.stdout).toContain('CLIENT LIST is denied');
    expect(text.stdout + text.stderr).not.toContain('nolua-Pw-1');
  });

  it('show works; actions refuse with exit 2', async () => {
    const show = await runJson(['queues', 'show', 'email', '--url', url()]);
    expect(show.run.exitCode).toBe(0);
    expect(show.json.workers).toBeNull();
    const run = await runCli(['queues', 'retry', 'email', '--yes', '--url', url()]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('✖ cannot retry bull:email: EVAL is denied for this user');
    expect(run.stderr).toContain('+@scripting');
    expect((await countsOf(conn(acl), email)).failed).toBe(3);
  });
});
