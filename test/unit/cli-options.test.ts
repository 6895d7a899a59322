import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Command as CommandType } from 'commander';
import { Command } from '../../src/commander.js';
import { addConnectionOptions, type RunContext } from '../../src/commands/connection.js';
import { CliError } from '../../src/errors.js';
import { buildProgram } from '../../src/program.js';
import { makeCerts } from '../helpers/certs.js';
import { expectUsageError } from '../helpers/usage-error.js';

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

/** Every argv that reached its command's inspect point, by command: the coverage test reads it. */
const reached = new Map<string, string[][]>();

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
    await (await buildProgram(ctx)).parseAsync(['node', 'redis-ops', ...args]);
  } catch (err) {
    if (err instanceof Inspected) {
      reached.set(err.command, [...(reached.get(err.command) ?? []), args]);
      return err;
    }
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
    // Every mistake, whatever the command: a CliError, exit 2, a hint.
    return expectUsageError(err);
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
    expect(
      (
        await parse([
          'queues',
          '--max-failed',
          '0',
          '--max-waiting-age',
          '10m',
          '--prefix',
          'a',
          '--prefix',
          'b:c',
        ])
      ).parsed,
    ).toMatchObject({ maxFailed: 0, maxWaitingAgeSeconds: 600, prefixes: ['a', 'b:c'] });
    expect(
      (await parse(['queues', 'show', 'email', '--jobs', 'wait', '--prefix', 'a'])).parsed,
    ).toMatchObject({
      queue: 'email',
      jobs: 'waiting',
      prefixes: ['a'],
      minutes: 10,
    });
    expect(
      (
        await parse([
          'queues',
          'clean',
          'email',
          '--state',
          'completed',
          '--grace',
          '1h',
          '--prefix',
          'p',
          '--yes',
          '--dry-run',
        ])
      ).parsed,
    ).toMatchObject({ action: 'clean', state: 'completed', graceMs: 3_600_000, prefixes: ['p'] });
    expect(
      (await parse(['queues', 'clean', 'email', '--state', 'failed', '--grace', '500'])).parsed.graceMs,
    ).toBe(500);
    expect((await parse(['queues', 'retry', 'email', '--prefix', 'p'])).parsed).toMatchObject({
      action: 'retry',
      state: 'failed',
      prefixes: ['p'],
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

  it('doctor: every other flag', async () => {
    const dir = mkdtempSync(join(root, 'doctor-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(
      join(dir, 'ops.yaml'),
      'use: cache\nfailOn: warn\ntargets:\n  staging:\n    url: redis://staging:6390\n',
    );
    const r = await parse(
      [
        'doctor',
        '--config',
        'ops.yaml',
        '--target',
        'staging',
        '--project',
        'app',
        '--max-memory-pct',
        '90',
        '--max-failed-jobs',
        '0',
        '--format',
        'json',
        '--wide',
      ],
      { cwd: dir },
    );
    expect(r.parsed).toMatchObject({
      use: 'cache',
      useSource: 'config',
      failOn: 'warn',
      format: 'json',
      projectDir: join(dir, 'app'),
      projectForced: true,
      gate: { maxMemoryPct: 90, maxFailedJobs: 0 },
    });
    expect(r.parsed.target).toMatchObject({ host: 'staging', port: 6390 });
    expect((await parse(['doctor', '--json'])).parsed.format).toBe('json');
  });

  it('stats: every --keys and --hits flag', async () => {
    expect(
      (await parse(['stats', '--keys', '--delimiter', '/', '--match', 'a/*', '--top', '3', '--wide'])).parsed
        .mode,
    ).toEqual({ kind: 'keys', delimiter: '/', depth: 1, match: 'a/*', top: 3, sample: undefined });
    const hits = await parse([
      'stats',
      '--hits',
      '30s',
      '--watch',
      '5',
      '--enable-keymiss',
      '--max-ops',
      '1000',
      '--max-buffer',
      '8MiB',
      '--min-hit-ratio',
      'feature-flag:=0.95',
      '--min-hit-ratio',
      '80%',
      '--depth',
      '2',
    ]);
    expect(hits.parsed.mode).toEqual({
      kind: 'hits',
      durationMs: 30_000,
      intervalMs: 5000,
      maxOps: 1000,
      maxBufferBytes: 8 * 1024 ** 2,
      enableKeymiss: true,
      gates: [
        { prefix: 'feature-flag:', min: 0.95 },
        { prefix: undefined, min: 0.8 },
      ],
      delimiter: ':',
      depth: 2,
      match: undefined,
      top: 5,
    });
    expect((await parse(['stats', '--hits'])).parsed.mode.durationMs).toBe(10_000);
    const replica = await parse(['stats', '--replica', '--url', 'redis+sentinel://s1:26379/mymaster']);
    expect(replica.parsed.target.sentinel).toMatchObject({ master: 'mymaster', replica: true });
  });

  it('the connection flags every command shares: TLS, sentinels, output', async () => {
    const certs = makeCerts();
    const tls = await parse([
      'stats',
      '-h',
      'localhost',
      '--tls',
      '--cacert',
      certs.ca,
      '--cert',
      certs.client.cert,
      '--key',
      certs.client.key,
      '--sni',
      'redis.example',
      '--insecure',
      '--timeout',
      '1500',
      '--quiet',
      '--verbose',
      '--no-color',
      '--json',
    ]);
    expect(tls.parsed.target.timeoutMs).toBe(1500);
    expect(tls.parsed.target.tls).toMatchObject({ servername: 'redis.example', rejectUnauthorized: false });
    const sentinel = await parse([
      'flush',
      'cache:',
      '--yes',
      '--sentinel',
      's1:26379',
      '--sentinel',
      's2:26380',
      '--master',
      'mymaster',
      '--sentinel-user',
      'watcher',
      '--sentinel-password',
      'spw',
      '-a',
      'data-pw',
      '--no-auth-warning',
    ]);
    expect(sentinel.parsed.target.sentinel).toMatchObject({
      master: 'mymaster',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      username: 'watcher',
      password: 'spw',
    });
    expect(sentinel.parsed.target.password).toBe('data-pw');
  });

  it('queues show, retry and the actions: every flag', async () => {
    expect(
      (await parse(['queues', 'show', 'email', '--jobs', 'failed', '--limit', '20', '--minutes', '60']))
        .parsed,
    ).toMatchObject({ queue: 'email', jobs: 'failed', limit: 20, minutes: 60 });
    expect(
      (await parse(['queues', 'retry', 'email', '--state', 'completed', '--yes', '--dry-run'])).parsed,
    ).toMatchObject({ action: 'retry', state: 'completed' });
    for (const action of ['promote', 'pause', 'resume'])
      expect(
        (await parse(['queues', action, 'email', '--prefix', 'app', '--yes', '--dry-run'])).parsed,
      ).toMatchObject({ action, queue: 'email', prefixes: ['app'], state: undefined, graceMs: undefined });
    expect((await parse(['queues', '--wide'])).command).toBe('queues');
  });

  it('queues job: the queue, the id, --raw', async () => {
    expect((await parse(['queues', 'job', 'email', '42', '--raw', '--prefix', 'app'])).parsed).toMatchObject({
      queue: 'email',
      id: '42',
      prefixes: ['app'],
      raw: true,
    });
    expect((await parse(['queues', '--url', 'redis://q:1', 'job', 'email', '7'])).parsed).toMatchObject({
      raw: false,
      target: { host: 'q', port: 1 },
    });
  });

  it('queues --watch, schedulers, flow, drain, obliterate: every flag', async () => {
    expect((await parse(['queues', '--watch', '5', '--count', '3', '--prefix', 'app'])).parsed).toMatchObject(
      {
        watch: true,
        intervalMs: 5000,
        count: 3,
        prefixes: ['app'],
      },
    );
    expect(
      (await parse(['queues', 'schedulers', 'email', '--limit', '20', '--prefix', 'app'])).parsed,
    ).toMatchObject({ queue: 'email', prefixes: ['app'], limit: 20 });
    const remove = await parse(['queues', 'schedulers', 'email', 'remove', 'nightly', '--yes', '--dry-run']);
    expect(remove.command).toBe('queues schedulers remove');
    expect(remove.parsed).toMatchObject({ queue: 'email', id: 'nightly' });
    expect(
      (await parse(['queues', 'flow', 'email', '42', '--depth', '3', '--children', '10', '--prefix', 'app']))
        .parsed,
    ).toMatchObject({ queue: 'email', id: '42', prefixes: ['app'], depth: 3, childrenLimit: 10 });
    for (const action of ['drain', 'obliterate']) {
      const extra = action === 'drain' ? ['--delayed'] : [];
      const r = await parse([
        'queues',
        action,
        'email',
        '--yes',
        '--force',
        '--dry-run',
        '--prefix',
        'app',
        ...extra,
      ]);
      expect(r.command).toBe(`queues ${action}`);
      expect(r.parsed).toMatchObject({ queue: 'email' });
    }
  });

  it('the newer flags: doctor --max-fork/--queues, stats --section/--hot, job actions, retry --all-queues', async () => {
    expect((await parse(['doctor', '--max-fork', '250ms', '--queues', 'email,sms'])).parsed).toBeDefined();
    expect((await parse(['stats', '--section', 'commands,errors'])).parsed).toBeDefined();
    expect((await parse(['stats', '--keys', '--hot'])).parsed).toBeDefined();
    const all = await parse(['queues', 'retry', '--all-queues', '--state', 'failed', '--yes', '--dry-run']);
    expect(all.parsed).toMatchObject({ allQueues: true, state: 'failed' });
    const one = await parse([
      'queues',
      'job',
      'email',
      '42',
      'move-to-failed',
      '--reason',
      'gone',
      '--yes',
      '--dry-run',
    ]);
    expect(one.parsed).toMatchObject({ queue: 'email', id: '42', action: 'move-to-failed', reason: 'gone' });
    const many = await parse([
      'queues',
      'jobs',
      'email',
      '--state',
      'active',
      'discard',
      '--reason',
      'gone',
      '--yes',
      '--dry-run',
    ]);
    expect(many.parsed).toMatchObject({ queue: 'email', action: 'discard' });
  });

  it('queues jobs: filters that compose', async () => {
    const before = Date.now();
    const r = await parse([
      'queues',
      'jobs',
      'email',
      '--state',
      'failed',
      '--state',
      'wait',
      '--name',
      'send*',
      '--since',
      '1h',
      '--until',
      '2026-01-02T00:00:00Z',
      '--grep',
      'ECONN',
      '--data-path',
      'user.id=42',
      '--failed-reason',
      'timeout',
      '--limit',
      '20',
      '--sort',
      'priority',
      '--scan-limit',
      '5000',
      '--ndjson',
    ]);
    expect(r.parsed).toMatchObject({
      queue: 'email',
      sort: 'priority',
      filter: {
        states: ['failed', 'waiting'],
        name: 'send*',
        until: Date.parse('2026-01-02T00:00:00Z'),
        grep: 'ECONN',
        dataPath: { path: ['user', 'id'], value: '42' },
        failedReason: 'timeout',
        limit: 20,
        scanLimit: 5000,
      },
    });
    expect(r.parsed.filter.since).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(r.parsed.filter.since).toBeLessThanOrEqual(Date.now() - 3_600_000);
    const plain = await parse(['queues', 'jobs', 'email', '--prefix', 'app']);
    expect(plain.parsed.prefixes).toEqual(['app']);
    expect(plain.parsed.filter).toMatchObject({ limit: 50, scanLimit: 100_000, since: undefined });
    expect(plain.parsed.filter.states).toHaveLength(7);
    expect(plain.parsed.sort).toBeUndefined();
  });

  it('flush: a pattern, a dry run, queues included, a rate', async () => {
    expect(
      (await parse(['flush', '--pattern', 'cache:*:html', '--dry-run', '--include-queues', '--rate', '2000']))
        .parsed,
    ).toMatchObject({ prefixes: [], pattern: 'cache:*:html', rate: 2000, count: 1000, maxKeys: undefined });
  });

  it('init: every flag, as given (the answers are validated with the prompts, in src/scaffold/settings.ts)', async () => {
    const r = await parse([
      'init',
      '--provider',
      'upstash',
      '--with-local',
      '--use',
      'both',
      '--profile',
      'prod',
      '--service',
      'cache',
      '--port',
      '6390',
      '--image',
      'valkey',
      '--maxmemory',
      '1gb',
      '--no-password',
      '--compose',
      'docker-compose.yml',
      '--dry-run',
      '--adopt',
      'redis',
      '--wire',
      'api,worker',
      '--force',
      '--up',
      '--topology',
      'sentinel',
      '--sentinel-port',
      '26400',
      '--master',
      'main',
      '--timeout',
      '2s',
      '--json',
      '--quiet',
      '--no-color',
    ]);
    expect(r.parsed).toMatchObject({
      dir: '.',
      provider: 'upstash',
      withLocal: true,
      use: 'both',
      profile: 'prod',
      service: 'cache',
      port: '6390',
      image: 'valkey',
      maxmemory: '1gb',
      password: false,
      compose: 'docker-compose.yml',
      dryRun: true,
      adopt: 'redis',
      wire: 'api,worker',
      force: true,
      up: true,
      topology: 'sentinel',
      sentinelPort: '26400',
      master: 'main',
      timeout: '2s',
      json: true,
      quiet: true,
      color: false,
    });
    // --no-password defaults to true: only a given flag skips the question.
    expect((await parse(['init'])).parsed.password).toBeUndefined();
  });

  it('completion: the shell', async () => {
    for (const shell of ['bash', 'zsh', 'fish'])
      expect((await parse(['completion', shell])).parsed).toEqual({ shell });
  });

  it.each<[string[], RegExp, RegExp]>([
    [['completion', 'tcsh'], /invalid <shell>: tcsh/, /one of: bash, zsh, fish/],
    [['completion', 'bsah'], /invalid <shell>: bsah/, /did you mean bash\?/],
    [['queues', 'jobs', 'q', '--since', 'soon'], /invalid --since: soon/, /15m, 2h, 7d/],
    [['queues', 'jobs', 'q', '--data-path', 'x'], /invalid --data-path: x/, /path=value/],
    [['queues', 'jobs', 'q', '--state', 'done'], /invalid --state: done/, /one of/],
    [['queues', 'jobs', 'q', '--sort', 'age'], /invalid --sort: age/, /one of: created, finished, priority/],
    [['queues', 'jobs', 'q', '--scan-limit', '0'], /invalid --scan-limit: 0/, /whole number ≥ 1/],
    [['queues', 'show', 'q', '--minutes', '2000'], /invalid --minutes: 2000/, /at most 1440/],
    [['stats', '--hits', '6m'], /invalid --hits: 6m/, /from 500ms to 5m/],
    [['stats', '--hits', 'x'], /invalid --hits: x/, /30s, 15m/],
    [['stats', '--hits', '--max-buffer', 'lots'], /invalid --max-buffer: lots/, /32MiB/],
    [['stats', '--hits', '--max-ops', '0'], /invalid --max-ops: 0/, /whole number ≥ 1/],
    [['stats', '--hits', '--min-hit-ratio', '2'], /invalid --min-hit-ratio: 2/, /<namespace>=<ratio>/],
    [['stats', '--keys', '--top', 'x'], /invalid --top: x/, /whole number ≥ 1/],
    [['doctor', '--max-memory-pct', '120'], /invalid --max-memory-pct: 120/, /from 0 to 100/],
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

describe('the table covers every command and flag', () => {
  /** The connection flags (shared by every command that talks to Redis), from a bare command. */
  const connection = new Set(addConnectionOptions(new Command('x')).options.map((o) => o.long as string));

  function commands(cmd: CommandType, path: string[] = []): Array<{ path: string; cmd: CommandType }> {
    return cmd.commands.flatMap((c) => [
      { path: [...path, c.name()].join(' '), cmd: c },
      ...commands(c, [...path, c.name()]),
    ]);
  }

  /** The long names an argv gives to a command (short flags resolved through its options). */
  function given(cmd: CommandType, argv: string[]): string[] {
    return argv.flatMap((a) => {
      if (a.startsWith('--')) return [a.split('=')[0] as string];
      const short = cmd.options.find((o) => o.short === a);
      return short?.long ? [short.long] : [];
    });
  }

  it('every command and subcommand reached its inspect point, with every flag it has', async () => {
    const program = await buildProgram();
    const all = commands(program);
    expect(all.map((c) => c.path).filter((p) => !reached.has(p))).toEqual([]);
    const missing: string[] = [];
    const seenConnection = new Set<string>();
    for (const { path, cmd } of all) {
      // A subcommand's action word names its inspect point ("queues schedulers remove"): its
      // argv counts for the command that defines the flags.
      const argvs = [...reached]
        .filter(([k]) => k === path || k.startsWith(`${path} `))
        .flatMap(([, v]) => v);
      const flags = new Set(argvs.flatMap((argv) => given(cmd, argv)));
      const shared =
        cmd.options.every((o) => !connection.has(o.long as string) || true) &&
        [...connection].every((f) => cmd.options.some((o) => o.long === f));
      for (const o of cmd.options) {
        const long = o.long as string;
        if (shared && connection.has(long)) {
          if (flags.has(long)) seenConnection.add(long);
          continue;
        }
        if (!flags.has(long)) missing.push(`${path} ${long}`);
      }
    }
    for (const f of connection) if (!seenConnection.has(f)) missing.push(`(any command) ${f}`);
    expect(missing).toEqual([]);
  });
});
