import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunContext } from '../../src/commands/connection.js';
import { CliError } from '../../src/errors.js';
import { buildProgram } from '../../src/program.js';

/**
 * argv → options for every command, through the real program (commander, the options module,
 * target resolution) without Redis: ctx.inspect stops each command once its options are validated.
 */
class Inspected extends Error {
  constructor(
    readonly command: string,
    readonly parsed: Record<string, any>,
  ) {
    super('inspected');
  }
}

const root = mkdtempSync(join(tmpdir(), 'redis-ops-argv-'));

async function parse(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; password?: string } = {},
): Promise<Inspected> {
  const ctx: RunContext = {
    cwd: opts.cwd ?? root,
    env: opts.env ?? {},
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    readPassword: () => Promise.resolve(opts.password ?? 'typed-pw'),
    inspect: (command, parsed) => new Inspected(command, parsed as Record<string, any>),
  };
  // Warnings and notes are asserted in the e2e tests; here they would only clutter the output.
  const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await buildProgram(ctx).parseAsync(['node', 'redis-ops', ...args]);
  } catch (err) {
    if (err instanceof Inspected) return err;
    throw err;
  } finally {
    quiet.mockRestore();
  }
  throw new Error(`${args.join(' ')}: the command did not reach its inspect point`);
}

async function target(args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const t = (await parse(['stats', ...args], { env })).parsed.target;
  return {
    host: t.host,
    port: t.port,
    socket: t.socket,
    username: t.username,
    password: t.password,
    db: t.db,
    cluster: t.forceCluster,
    source: t.source,
  };
}

async function usage(args: string[], env: Record<string, string> = {}): Promise<CliError> {
  try {
    await parse(args, { env });
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error(`expected a usage error for ${args.join(' ')}`);
}

const base = { socket: undefined, username: undefined, password: undefined, db: 0, cluster: false };

describe('argv → target: redis-cli reflexes', () => {
  it.each<[string[], Record<string, string>, Record<string, unknown>]>([
    [[], {}, { ...base, host: '127.0.0.1', port: 6379, source: 'default' }],
    [['-h', '10.0.0.99', '-p', '6380'], {}, { ...base, host: '10.0.0.99', port: 6380, source: 'flag' }],
    [['--host', 'cache.internal'], {}, { ...base, host: 'cache.internal', port: 6379, source: 'flag' }],
    [['-p', '7000'], {}, { ...base, host: '127.0.0.1', port: 7000, source: 'flag' }],
    [
      ['--port', '7000'],
      { REDIS_URL: 'redis://elsewhere:1' },
      { ...base, host: '127.0.0.1', port: 7000, source: 'flag' },
    ],
    [
      ['-h', 'h', '-a', 'pw', '--user', 'app', '-n', '3', '-c'],
      {},
      {
        ...base,
        host: 'h',
        port: 6379,
        username: 'app',
        password: 'pw',
        db: 3,
        cluster: true,
        source: 'flag',
      },
    ],
    [['--pass', 'pw'], {}, { ...base, host: '127.0.0.1', port: 6379, password: 'pw', source: 'default' }],
    [
      ['--db', '2'],
      { REDIS_URL: 'redis://r:6390/5' },
      { ...base, host: 'r', port: 6390, db: 2, source: 'REDIS_URL' },
    ],
    [
      ['-s', '/run/redis.sock'],
      {},
      { ...base, host: 'localhost', port: 6379, socket: '/run/redis.sock', source: 'flag' },
    ],
    [
      ['--socket', '/run/redis.sock', '-n', '1'],
      {},
      { ...base, host: 'localhost', port: 6379, socket: '/run/redis.sock', db: 1, source: 'flag' },
    ],
    [
      ['-u', 'unix:///tmp/r.sock?db=4'],
      {},
      { ...base, host: 'localhost', port: 6379, socket: '/tmp/r.sock', db: 4, source: 'flag' },
    ],
    [
      ['--url', 'redis://u:p@h:1/2'],
      {},
      { ...base, host: 'h', port: 1, username: 'u', password: 'p', db: 2, source: 'flag' },
    ],
    [
      ['-h', 'h'],
      { REDISCLI_AUTH: 'env-pw' },
      { ...base, host: 'h', port: 6379, password: 'env-pw', source: 'flag' },
    ],
    [
      ['-a', 'flag-pw'],
      { REDISCLI_AUTH: 'env-pw' },
      { ...base, host: '127.0.0.1', port: 6379, password: 'flag-pw', source: 'default' },
    ],
    [['--askpass'], {}, { ...base, host: '127.0.0.1', port: 6379, password: 'typed-pw', source: 'default' }],
    [[], { REDIS_PORT: '6390' }, { ...base, host: '127.0.0.1', port: 6390, source: 'REDIS_HOST' }],
    [[], { REDIS_HOST: 'r', REDIS_DB: '7' }, { ...base, host: 'r', port: 6379, db: 7, source: 'REDIS_HOST' }],
  ])('%j with %j', async (args, env, expected) => {
    expect(await target(args, env)).toEqual(expected);
  });

  it.each<[string[], Record<string, string>, RegExp]>([
    [['-p', 'abc'], {}, /invalid -p\/--port: abc/],
    [['-n', 'x'], {}, /invalid -n\/--db: x/],
    [['-u', 'redis://h:1', '-h', 'other'], {}, /--url conflicts with -h\/--host/],
    [['-s', '/x.sock', '-p', '1'], {}, /-s\/--socket conflicts with -h\/-p/],
    [['-s', '/x.sock', '-c'], {}, /cluster is not reached through a unix socket/],
    [['-a', 'x', '--askpass'], {}, /--askpass conflicts with -a/],
    [[], { REDIS_PORT: 'abc' }, /invalid REDIS_PORT: abc/],
    [[], { REDIS_HOST: 'h', REDIS_DB: '-1' }, /invalid REDIS_DB: -1/],
    [[], { REDIS_HOST: 'h', REDIS_TLS: 'maybe' }, /invalid REDIS_TLS: maybe/],
    [[], { REDIS_URL: 'nope' }, /^REDIS_URL: invalid Redis URL/],
    [['-u', 'unix://'], {}, /no socket path/],
  ])('%j with %j is a usage error', async (args, env, message) => {
    const err = await usage(['stats', ...args], env);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.hint).toBeTruthy();
  });
});

describe('argv → options, every command', () => {
  it('doctor: durations, gates, use from the flag', async () => {
    const r = await parse([
      'doctor',
      '--use',
      'queue',
      '--fail-on',
      'warn',
      '--wait',
      '2m',
      '--max-waiting-age',
      '5m',
      '--min-hit-ratio',
      '0.8',
      '--timeout',
      '2s',
    ]);
    expect(r.command).toBe('doctor');
    expect(r.parsed).toMatchObject({
      use: 'queue',
      useSource: 'flag',
      failOn: 'warn',
      waitSeconds: 120,
      gate: { maxWaitingAge: 300, minHitRatio: 0.8 },
      format: 'text',
    });
    expect(r.parsed.target.timeoutMs).toBe(2000);
    expect((await parse(['doctor', '--wait', '30'])).parsed.waitSeconds).toBe(30);
    expect((await parse(['doctor', '--format', 'junit'])).parsed.format).toBe('junit');
  });

  it('doctor: use and the target from the nearest redis-ops.yaml and .env, up to the repository root', async () => {
    const repo = mkdtempSync(join(root, 'repo-'));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'apps', 'api'), { recursive: true });
    writeFileSync(join(repo, 'redis-ops.yaml'), 'use: queue\n');
    writeFileSync(join(repo, '.env'), 'REDIS_URL=redis://from-dotenv:6390\n');
    const r = await parse(['doctor'], { cwd: join(repo, 'apps', 'api') });
    expect(r.parsed).toMatchObject({ use: 'queue', useSource: 'config' });
    expect(r.parsed.target).toMatchObject({ host: 'from-dotenv', port: 6390, source: 'REDIS_URL' });
    expect(r.parsed.target.envFile).toBe(join(repo, '.env'));
  });

  it('outside a repository only the current directory counts', async () => {
    const outside = mkdtempSync(join(root, 'plain-'));
    mkdirSync(join(outside, 'sub'));
    writeFileSync(join(outside, '.env'), 'REDIS_URL=redis://parent:1\n');
    const r = await parse(['stats'], { cwd: join(outside, 'sub') });
    expect(r.parsed.target.source).toBe('default');
  });

  it('--dotenv and its old name --env-file', async () => {
    const dir = mkdtempSync(join(root, 'envf-'));
    writeFileSync(join(dir, 'staging.env'), 'REDIS_HOST=staging\n');
    for (const flag of ['--dotenv', '--env-file'])
      expect((await parse(['stats', flag, 'staging.env'], { cwd: dir })).parsed.target.host).toBe('staging');
  });

  it('stats: snapshot, watch with a duration, keys', async () => {
    expect((await parse(['stats'])).parsed.mode).toEqual({ kind: 'snapshot' });
    expect((await parse(['stats', '--watch', '2s', '--count', '3'])).parsed.mode).toEqual({
      kind: 'watch',
      intervalMs: 2000,
      count: 3,
    });
    expect((await parse(['stats', '--watch', '0.5'])).parsed.mode.intervalMs).toBe(500);
    expect((await parse(['stats', '--keys', '--depth', '2', '--sample', '1000'])).parsed.mode).toMatchObject({
      kind: 'keys',
      depth: 2,
      sample: 1000,
    });
  });

  it('queues: the list, show, and every action', async () => {
    expect((await parse(['queues', '--max-failed', '0', '--max-waiting-age', '10m'])).parsed).toMatchObject({
      maxFailed: 0,
      maxWaitingAgeSeconds: 600,
      prefixes: [],
    });
    expect(
      (await parse(['queues', 'show', 'email', '--jobs', 'wait', '--prefix', 'a'])).parsed,
    ).toMatchObject({
      queue: 'email',
      jobs: 'waiting',
      prefixes: ['a'],
      minutes: 10,
    });
    expect(
      (await parse(['queues', 'clean', 'email', '--state', 'completed', '--grace', '1h'])).parsed,
    ).toMatchObject({ action: 'clean', state: 'completed', graceMs: 3_600_000 });
    expect(
      (await parse(['queues', 'clean', 'email', '--state', 'failed', '--grace', '500'])).parsed.graceMs,
    ).toBe(500);
    expect((await parse(['queues', 'retry', 'email'])).parsed).toMatchObject({
      action: 'retry',
      state: 'failed',
    });
    for (const action of ['promote', 'pause', 'resume'])
      expect((await parse(['queues', action, 'email'])).command).toBe(`queues ${action}`);
    expect((await parse(['queues', '-h', 'qhost', 'show', 'email'])).parsed.target.host).toBe('qhost');
  });

  it('flush: prefixes, limits, a type', async () => {
    const r = await parse([
      'flush',
      'cache:',
      '--max-keys',
      '0',
      '--type',
      'HASH',
      '--count',
      '500',
      '--yes',
    ]);
    expect(r.parsed).toMatchObject({ prefixes: ['cache:'], maxKeys: 0, type: 'hash', count: 500 });
    expect((await parse(['flush', 'x', '--type', 'ReJSON-RL', '--yes'])).parsed.type).toBe('ReJSON-RL');
  });

  it('init: --dotenv, --env-file and the rest as given', async () => {
    const r = await parse(['init', './api', '--use', 'queue', '--dotenv', '.env.local', '--yes']);
    expect(r.parsed).toMatchObject({ dir: './api', use: 'queue', envFile: '.env.local', yes: true });
    expect((await parse(['init', '--env-file', '.env.dev'])).parsed.envFile).toBe('.env.dev');
  });

  it.each<[string[], RegExp, RegExp]>([
    [['flush', 'x', '--type', 'foo', '--yes'], /invalid --type: foo/, /one of string/],
    [['flush', 'x', '--type', 'strng', '--yes'], /invalid --type: strng/, /did you mean string\?/],
    [['stats', '--key', 'k.pem'], /--key is the TLS client key/, /did you mean --keys\?/],
    [['doctor', '--use', 'queues'], /invalid --use: queues/, /did you mean queue\?/],
    [['doctor', '--wait', 'soon'], /invalid --wait: soon/, /30s, 15m, 2h, 7d/],
    [['doctor', '--timeout', '0'], /invalid --timeout: 0/, /duration/],
    [['queues', 'clean', 'q', '--state', 'done', '--grace', '1h'], /invalid --state: done/, /one of/],
    [['queues', 'clean', 'q', '--state', 'failed', '--grace', '1y'], /invalid --grace: 1y/, /30s, 15m/],
    [['flush', 'x', '--json'], /--json asks nothing/, /--yes/],
  ])('%j', async (args, message, hint) => {
    const err = await usage(args);
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(hint);
  });
});

describe('the error path', () => {
  it('an internal error is a bug report with exit 70, never 1 or 2', async () => {
    const { reportError } = await import('../../src/report.js');
    const out: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    try {
      const code = reportError(
        new TypeError("Cannot read properties of undefined (reading 'x')"),
        buildProgram(),
        [],
        {},
      );
      expect(code).toBe(70);
    } finally {
      spy.mockRestore();
    }
    expect(out[0]).toMatch(/^✖ internal error: Cannot read properties of undefined/);
    expect(out[1]).toMatch(/^ {2}hint: this is a bug in redis-ops.*please file an issue/);
    expect(out.join('')).toMatch(/\n\s+at /);
  });
});
