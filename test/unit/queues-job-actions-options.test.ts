import { describe, expect, it, vi } from 'vitest';
import type { RunContext } from '../../src/commands/connection.js';
import { CliError } from '../../src/errors.js';
import { buildProgram } from '../../src/program.js';

/** argv → options for the job actions, drain, obliterate and retry --all-queues (no Redis: ctx.inspect stops each command). */
class Inspected extends Error {
  constructor(
    readonly command: string,
    readonly parsed: Record<string, any>,
  ) {
    super('inspected');
  }
}

async function parse(args: string[]): Promise<Inspected | CliError> {
  const ctx: RunContext = {
    cwd: process.cwd(),
    env: {},
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    readPassword: () => Promise.resolve(''),
    inspect: (command, parsed) => new Inspected(command, parsed as Record<string, any>),
  };
  const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await (await buildProgram(ctx)).parseAsync(['node', 'redis-ops', ...args]);
  } catch (err) {
    if (err instanceof Inspected || err instanceof CliError) return err;
    throw err;
  } finally {
    quiet.mockRestore();
  }
  throw new Error(`${args.join(' ')}: the command did not reach its inspect point`);
}

describe('argv → options', () => {
  it('queues job <queue> <id> <action>', async () => {
    expect(await parse(['queues', 'job', 'email', '42', 'retry'])).toMatchObject({
      command: 'queues job',
      parsed: { queue: 'email', id: '42', action: 'retry', reason: null },
    });
    expect(await parse(['queues', 'job', 'email', '42', 'discard', '--reason', 'bad'])).toMatchObject({
      parsed: { action: 'discard', reason: 'bad' },
    });
  });

  it('queues jobs <queue> <filters> <action>: the action states by default, every match in the budget', async () => {
    const r = (await parse([
      'queues',
      'jobs',
      'email',
      '--failed-reason',
      'ECONNRESET',
      'retry',
    ])) as Inspected;
    expect(r.command).toBe('queues jobs');
    expect(r.parsed.filter).toMatchObject({
      states: ['failed'],
      failedReason: 'ECONNRESET',
      limit: 100_000,
      scanLimit: 100_000,
    });
    expect(
      ((await parse(['queues', 'jobs', 'email', 'promote', '--limit', '5'])) as Inspected).parsed.filter,
    ).toMatchObject({
      states: ['delayed'],
      limit: 5,
    });
  });

  it('drain, obliterate, retry --all-queues', async () => {
    expect(await parse(['queues', 'drain', 'email', '--delayed'])).toMatchObject({
      command: 'queues drain',
      parsed: { queue: 'email', delayed: true },
    });
    expect(await parse(['queues', 'obliterate', 'email'])).toMatchObject({ command: 'queues obliterate' });
    expect(await parse(['queues', 'retry', '--all-queues', '--state', 'completed'])).toMatchObject({
      command: 'queues retry',
      parsed: { allQueues: true, state: 'completed' },
    });
  });

  it.each([
    [['queues', 'jobs', 'email', '--state', 'waiting', 'retry'], 'retry does not apply to waiting jobs'],
    [['queues', 'job', 'email', '1', 'discard'], 'discard needs --reason <text>'],
    [['queues', 'job', 'email', '1', 'nuke'], 'unknown action: nuke'],
    [['queues', 'jobs', 'email', '--yes'], '--reason, --yes and --dry-run go with an action'],
    [['queues', 'retry', 'email', '--all-queues'], 'give a queue or --all-queues, not both'],
    [['queues', 'retry'], 'missing queue name'],
  ])('%j is a usage error', async (args, message) => {
    const err = await parse(args);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toBe(message);
    expect((err as CliError).exitCode).toBe(2);
  });
});
