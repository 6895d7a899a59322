import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli, runJson } from '../helpers/cli.js';
import { startDropProxy } from '../helpers/drop-proxy.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/** Issue 15's silent traps: each one is now correct behaviour or a clear error (exit 2). */
let plain: RedisServer;
let secured: RedisServer;
let socketPath: string;
beforeAll(async () => {
  const sockDir = mkdtempSync(join(tmpdir(), 'rs-'));
  socketPath = join(sockDir, 'redis.sock');
  [plain, secured] = await Promise.all([
    startRedis({ config: [`unixsocket ${socketPath}`, 'unixsocketperm 700'] }),
    startRedis({ password: 'cli-Trap-pw' }),
  ]);
  await plain.client().set('only-in-db-3', '1');
});
afterAll(async () => {
  await Promise.all([plain?.stop(), secured?.stop()]);
});

const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `redis-ops-${name}-`));

describe('redis-cli reflexes', () => {
  it('doctor -h HOST -p PORT connects (it used to print help and exit 0)', async () => {
    const { json, run } = await runJson([
      'doctor',
      '-h',
      '127.0.0.1',
      '-p',
      String(plain.port),
      '--fail-on',
      'warn',
    ]);
    expect(json.target).toBe(`redis://127.0.0.1:${plain.port}`);
    expect(json.checks.find((c: { id: string }) => c.id === 'conn.ping').status).toBe('pass');
    expect(run.stdout).not.toMatch(/Usage:/);
  });

  it('help stays on --help and `help <command>`', async () => {
    for (const args of [
      ['doctor', '--help'],
      ['help', 'doctor'],
    ]) {
      const run = await runCli(args);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/^Usage: redis-ops doctor/);
      expect(run.stdout).toMatch(/-h, --host <host>/);
    }
  });

  it('-V and -v print the version', async () => {
    for (const flag of ['-V', '-v', '--version'])
      expect((await runCli([flag])).stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('-a warns that the password is visible; --no-auth-warning does not; the password is never printed', async () => {
    const args = ['stats', '-p', String(secured.port), '-a', 'cli-Trap-pw', '--json'];
    const warned = await runCli(args);
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toMatch(/password given with -a\/--pass is visible to other users/);
    const quiet = await runCli([...args, '--no-auth-warning']);
    expect(quiet.stderr).toBe('');
    expect(warned.stdout + warned.stderr).not.toContain('cli-Trap-pw');
  });

  it('REDISCLI_AUTH and --user, as redis-cli reads them', async () => {
    const run = await runCli(['stats', '-p', String(secured.port), '--user', 'default', '--json'], {
      env: { REDISCLI_AUTH: 'cli-Trap-pw' },
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).target).toBe(`redis://default:***@127.0.0.1:${secured.port}`);
  });

  it('--askpass reads the password from stdin when there is no terminal', async () => {
    const run = await runCli(['stats', '-p', String(secured.port), '--askpass', '--json'], {
      input: 'cli-Trap-pw\n',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('NOAUTH: the hint names where the target came from', async () => {
    const url = await runCli(['stats', '--url', `redis://127.0.0.1:${secured.port}`]);
    expect(url.exitCode).toBe(2);
    expect(url.stderr).toMatch(/hint: the server needs a password: add it to the URL .* or give --askpass/);
    expect(url.stderr).not.toMatch(/REDIS_PASSWORD/);
    const vars = await runCli(['stats'], {
      env: { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(secured.port) },
    });
    expect(vars.stderr).toMatch(/set REDIS_PASSWORD/);
  });

  it('-s and unix:// URLs reach a unix socket; -n picks the db', async () => {
    await plain.client().select(3);
    await plain.client().set('only-in-db-3', '1');
    await plain.client().select(0);
    const viaFlag = await runJson(['stats', '-s', socketPath, '-n', '3']);
    expect(viaFlag.run.exitCode).toBe(0);
    expect(viaFlag.json.target).toBe(`unix://${socketPath}?db=3`);
    const viaUrl = await runJson(['doctor', '--url', `unix://${socketPath}`]);
    expect(viaUrl.json.checks.find((c: { id: string }) => c.id === 'conn.tcp').message).toMatch(
      new RegExp(`connection to ${socketPath} opened`),
    );
    expect(viaUrl.json.checks.find((c: { id: string }) => c.id === 'conn.ping').status).toBe('pass');
  });
});

describe('invalid variables are errors, never a silent default', () => {
  it.each([
    [{ REDIS_PORT: 'abc' }, /^✖ invalid REDIS_PORT: abc$/m],
    [{ REDIS_HOST: '127.0.0.1', REDIS_DB: 'two' }, /^✖ invalid REDIS_DB: two$/m],
    [{ REDIS_HOST: '127.0.0.1', REDIS_TLS: 'maybe' }, /^✖ invalid REDIS_TLS: maybe$/m],
  ])('%j', async (env, message) => {
    const run = await runCli(['queues'], { env });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^ {2}hint: /m);
  });

  it('REDIS_PORT alone is used (127.0.0.1), not ignored', async () => {
    const { json } = await runJson(['stats'], { env: { REDIS_PORT: String(plain.port) } });
    expect(json.target).toBe(`redis://127.0.0.1:${plain.port}`);
  });

  it.each([['queues'], ['stats'], ['flush', 'x:', '--dry-run']])(
    'a db the server does not have is an error in %s, not db 0',
    async (...cmd) => {
      const run = await runCli([...cmd, '--url', `${plain.url}/99`]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/database 99 does not exist on redis:\/\/127\.0\.0\.1:\d+\/99/);
    },
  );

  it('doctor: a db the server does not have is a connection error (exit 2), not a check', async () => {
    const { json, run } = await runJson(['doctor', '-p', String(plain.port), '-n', '99']);
    expect(run.exitCode).toBe(2);
    expect(json.error.message).toMatch(/database 99 does not exist/);
  });
});

describe('config discovery', () => {
  it('.env and redis-ops.yaml are found from a subdirectory, and the output says which', async () => {
    const repo = tmp('repo');
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'apps', 'api'), { recursive: true });
    writeFileSync(join(repo, '.env'), `REDIS_URL=${plain.url}\n`);
    writeFileSync(join(repo, 'redis-ops.yaml'), 'use: queue\n');
    const { json, run } = await runJson(['doctor'], { cwd: join(repo, 'apps', 'api') });
    expect(json.target).toBe(plain.url);
    expect(json.use).toMatchObject({ value: 'queue', source: 'config' });
    expect(run.stderr).toMatch(/^config: \.\.\/\.\.\/redis-ops\.yaml$/m);
    expect(run.stderr).toMatch(/^env: \.\.\/\.\.\/\.env$/m);
  });

  it('nothing configured: says which target it falls back to', async () => {
    // flush refuses (no --yes, no terminal) before connecting: port 6379 is never touched.
    const run = await runCli(['flush', 'cache:']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^no target configured: using redis:\/\/127\.0\.0\.1:6379$/m);
  });

  it('--dotenv works through npx, where Node 20 eats --env-file', async () => {
    const dir = tmp('npx');
    writeFileSync(join(dir, 'staging.env'), `REDIS_URL=${plain.url}\n`);
    const repo = join(binPath, '..', '..');
    const npm = (flag: string) =>
      execa('npm', ['exec', '--prefix', repo, '--', 'redis-ops', 'stats', flag, 'staging.env', '--json'], {
        cwd: dir,
        reject: false,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          npm_config_cache: join(dir, 'npm-cache'),
          NO_COLOR: '1',
        },
        extendEnv: false,
      });
    const ok = await npm('--dotenv');
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).target).toBe(plain.url);
    // The old name still works where Node does not see it (the bin called directly).
    const direct = await runCli(['stats', '--env-file', 'staging.env', '--json'], { cwd: dir });
    expect(direct.exitCode).toBe(0);
  });
});

describe('init re-run', () => {
  it("--json on a re-run does not repeat the first run's summaries for unchanged files", async () => {
    const dir = tmp('init-rerun');
    const first = await runJson(['init', dir, '--yes']);
    expect(first.run.exitCode).toBe(0);
    const again = await runJson(['init', dir, '--yes']);
    expect(again.run.exitCode).toBe(0);
    for (const f of again.json.files) {
      expect(f.action).toBe('unchanged');
      expect(f.summary).toBe('up to date');
    }
  });
});

describe('one error path', () => {
  it('--json: a failure still puts one JSON document on stdout', async () => {
    const run = await runCli(['stats', '-p', '1', '--json', '--timeout', '1s']);
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        message: 'cannot connect to redis://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
        hint: expect.stringMatching(/nothing is listening/),
        exitCode: 2,
      },
    });
    expect(run.stderr).toMatch(/^✖ cannot connect/);
    const usage = await runCli(['doctor', '--json', '--nope']);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ message: "unknown option '--nope'", exitCode: 2 });
  });

  it("commander's own errors read like ours, with a suggestion", async () => {
    const cases: Array<[string[], string, RegExp]> = [
      [
        ['queues', 'shwo', 'email'],
        "✖ unknown command 'shwo' for 'redis-ops queues'",
        /did you mean redis-ops queues show\?/,
      ],
      [['stats', '--kyes'], "✖ unknown option '--kyes'", /did you mean --keys\?/],
      [['stats', '--key'], "✖ option '--key <file>' argument missing", /did you mean --keys\?/],
      [['doctr'], "✖ unknown command 'doctr'", /did you mean doctor\?/],
    ];
    for (const [args, first, hint] of cases) {
      const run = await runCli(args);
      expect(run.exitCode).toBe(2);
      const lines = run.stderr.split('\n');
      expect(lines[0]).toBe(first);
      expect(lines[1]).toMatch(/^ {2}hint: /);
      expect(lines[1]).toMatch(hint);
      expect(lines.filter(Boolean)).toHaveLength(2);
    }
  });

  it('queues: Redis going away mid-run is one line and exit 2, no stack', async () => {
    // Seed one queue so the run goes past connecting.
    await plain.client().hset('bull:drop:meta', 'opts.maxLenEvents', '10000');
    await plain.client().set('bull:drop:id', '1');
    // Cut every connection after n server chunks, for n from the handshake to the last reads:
    // whichever command the cut meets, the run ends with one line and exit 2 (or, cut after
    // its last reply, finishes normally). The reads go over ioredis and the raw pipe.
    let cut = 0;
    for (const after of [1, 2, 3, 4, 5, 6, 8]) {
      const proxy = await startDropProxy(plain.port, after);
      try {
        const run = await runCli(['queues', '-p', String(proxy.port)]);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        if (run.exitCode === 0) continue;
        cut++;
        expect(run.exitCode).toBe(2);
        expect(run.stderr).toMatch(
          /^✖ (the connection to Redis failed during the run|cannot connect|reading redis:\/\/\S+ failed|Connection is closed)/,
        );
        expect(run.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
      } finally {
        await proxy.stop();
      }
    }
    expect(cut).toBeGreaterThan(0);
  });

  it('REDIS_OPS_DEBUG=1 prints the stack, with its cause', async () => {
    const run = await runCli(['stats', '-p', '1', '--timeout', '1s'], { env: { REDIS_OPS_DEBUG: '1' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/\n\s+at /);
    expect(run.stderr).toMatch(/caused by: Error: connect ECONNREFUSED/);
  });

  it('messages: --json is the reason nothing is asked', async () => {
    const run = await runCli(['flush', 'x:', '--json', '-p', String(plain.port)]);
    expect(run.stderr).toMatch(/refusing to delete without confirmation: --json asks nothing/);
    expect(JSON.parse(run.stdout).error.exitCode).toBe(2);
  });

  it('--verbose prints the commands sent, credentials masked; --quiet keeps stderr for errors', async () => {
    const run = await runCli([
      'stats',
      '-p',
      String(secured.port),
      '-a',
      'cli-Trap-pw',
      '--verbose',
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^→ HELLO 3 AUTH \*\*\* \*\*\*$/m);
    expect(run.stderr).toMatch(/^→ INFO$/m);
    expect(run.stderr).not.toContain('cli-Trap-pw');
    const quiet = await runCli(['flush', 'cache:', '--quiet']);
    expect(quiet.stderr).not.toMatch(/no target configured/);
    expect(quiet.stderr).toMatch(/^✖ refusing to delete/m);
  });

  it('completion scripts name every command', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const run = await runCli(['completion', shell]);
      expect(run.exitCode).toBe(0);
      for (const name of ['init', 'doctor', 'stats', 'queues', 'flush', 'show', 'host'])
        expect(run.stdout).toContain(name);
    }
    const bash = await runCli(['completion', 'bash']);
    const words = await execa(
      'bash',
      [
        '-c',
        `${bash.stdout}\nCOMP_WORDS=(redis-ops queues sh); COMP_CWORD=2; _redis_ops_complete; echo "\${COMPREPLY[*]}"`,
      ],
      { reject: false },
    );
    expect(words.stdout.trim()).toBe('show');
    expect((await runCli(['completion', 'tcsh'])).exitCode).toBe(2);
  });
});
