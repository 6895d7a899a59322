import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { startTrapProxy, type TrapAction } from '../helpers/trap-proxy.js';

/**
 * Gates fail closed: a queue this user may not read fails `queues --max-failed` and doctor's
 * gate.maxFailedJobs, naming the queue, instead of counting as "0 failed".
 */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port });

beforeAll(async () => {
  server = await startRedis({
    acl: ['user limited on >limited-Pw-1 ~bull:open:* &* +@all', 'user ops on >ops-Pw-1 ~* &* +@all'],
  });
  for (const name of ['open', 'secret', 'third']) {
    const q = new Queue(name, { connection: connection() });
    await q.add('j', {});
    await q.close();
  }
});

afterAll(async () => {
  await server?.stop();
});

describe('gates on a queue the user may not read (NOPERM)', () => {
  const url = () => `redis://limited:limited-Pw-1@127.0.0.1:${server.port}`;

  it('queues --max-failed fails, naming it', async () => {
    const { json, run } = await runJson(['queues', '--max-failed', '0', '--url', url()]);
    expect(run.exitCode).toBe(1);
    expect(json.queues.map((q: { key: string }) => q.key)).toEqual([
      'bull:open',
      'bull:secret',
      'bull:third',
    ]);
    expect(json.violations).toEqual(
      ['bull:secret', 'bull:third'].map((queue) =>
        expect.objectContaining({ queue, rule: 'unreadable', error: expect.stringMatching(/NOPERM/) }),
      ),
    );
    expect(run.stdout + run.stderr).not.toContain('limited-Pw-1');
  });

  it("doctor's gate.maxFailedJobs fails, naming it", async () => {
    const { json, run } = await runJson(['doctor', '--max-failed-jobs', '0', '--url', url()]);
    expect(run.exitCode).toBe(1);
    const gate = json.checks.find((c: { id: string }) => c.id === 'gate.maxFailedJobs');
    expect(gate.status).toBe('fail');
    expect(gate.message).toMatch(
      /^2 of 3 queue\(s\) could not be read, so their failed jobs are unknown: bull:secret \(/,
    );
  });
});

describe('errors a server or person causes become one line', () => {
  it('show --minutes 1000000: a usage error, not a stack overflow', async () => {
    const run = await runCli(['queues', 'show', 'open', '--minutes', '1000000', '--url', server.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^✖ invalid --minutes: 1000000\n {2}hint: give at most 1440/);
  });
});

/**
 * Failures in the middle of the read, sprung by a proxy exactly when the per-queue state
 * script goes out (its EVALSHA: the probe before it is a plain EVAL): the server frozen with
 * SIGSTOP, the connection cut, the user's rights taken away. Each is one line with a hint, exit
 * 2 (or the gate fails naming the queues), never a stack trace and never a hang.
 */
describe('a read interrupted mid-way', () => {
  const viaTrap = async (spring: () => Promise<TrapAction> | TrapAction, args: string[], user = '') => {
    const proxy = await startTrapProxy(server.port, { command: 'EVALSHA', spring });
    try {
      const run = await runCli([...args, '--url', `redis://${user}127.0.0.1:${proxy.port}`]);
      expect(proxy.fired()).toBe(1);
      return run;
    } finally {
      await proxy.stop();
    }
  };
  const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

  it('the server frozen (SIGSTOP) while queues reads: a timeout in one line, exit 2', async () => {
    let frozen = false;
    const run = await viaTrap(() => {
      server.proc.kill('SIGSTOP');
      frozen = true;
      return 'forward';
    }, ['queues', '--max-failed', '0', '--timeout', '800']).finally(
      () => frozen && server.proc.kill('SIGCONT'),
    );
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^✖ reading redis:\/\/127\.0\.0\.1:\d+ failed: ETIMEDOUT: reply timed out after 800 ms\n {2}hint: the server stopped answering mid-read/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(2);
    noStack(run.stderr);
  });

  it("the server frozen while doctor's queue gate reads: the gate never passes, no hang", async () => {
    let frozen = false;
    const run = await viaTrap(() => {
      server.proc.kill('SIGSTOP');
      frozen = true;
      return 'forward';
    }, ['doctor', '--max-failed-jobs', '0', '--use', 'queue', '--timeout', '800', '--json']).finally(
      () => frozen && server.proc.kill('SIGCONT'),
    );
    // Fail closed: either the gate fails naming why, or doctor stops with exit 2; never 0.
    expect([1, 2]).toContain(run.exitCode);
    noStack(run.stderr);
    const json = JSON.parse(run.stdout);
    if (run.exitCode === 1) {
      const gate = json.checks.find((c: { id: string }) => c.id === 'gate.maxFailedJobs');
      expect(gate.status).toBe('fail');
    } else expect(json.error.message).toMatch(/timed out|ETIMEDOUT/);
  });

  it('the connection cut mid-scan (discovery): one line, exit 2', async () => {
    const proxy = await startTrapProxy(server.port, { command: 'SCAN', spring: () => 'drop' });
    try {
      const run = await runCli(['queues', 'show', 'open', '--url', `redis://127.0.0.1:${proxy.port}`]);
      expect(proxy.fired()).toBe(1);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(
        /^✖ reading redis:\/\/127\.0\.0\.1:\d+ failed: Connection is closed\.\n {2}hint: \S/,
      );
      noStack(run.stderr);
    } finally {
      await proxy.stop();
    }
  });

  it('the connection cut while queues reads: one line, exit 2', async () => {
    const run = await viaTrap(() => 'drop', ['queues', '--json']);
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toMatch(
      /^reading redis:\/\/127\.0\.0\.1:\d+ failed: Connection is closed\.$/,
    );
    expect(JSON.parse(run.stdout).error.hint).toEqual(expect.any(String));
    noStack(run.stderr);
  });

  it('rights taken away mid-run (ACL): the gate fails naming every queue it could not read', async () => {
    const admin = server.client();
    try {
      const run = await viaTrap(
        async (): Promise<TrapAction> => {
          await admin.call('ACL', 'SETUSER', 'ops', '-evalsha');
          return 'forward';
        },
        ['queues', '--max-failed', '0', '--json'],
        'ops:ops-Pw-1@',
      );
      expect(run.exitCode).toBe(1);
      const json = JSON.parse(run.stdout);
      // The first queue sent the script in full (EVAL) before the change; the others got NOPERM.
      expect(json.violations).toEqual(
        ['bull:secret', 'bull:third'].map((queue) =>
          expect.objectContaining({
            queue,
            rule: 'unreadable',
            error: expect.stringMatching(/NOPERM.*evalsha/),
          }),
        ),
      );
      expect(run.stdout + run.stderr).not.toContain('ops-Pw-1');
      noStack(run.stderr);
    } finally {
      await admin.call('ACL', 'SETUSER', 'ops', '+evalsha');
    }
  });
});
