import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis({ password: 'env-File-pw' });
});
afterAll(async () => {
  await server?.stop();
});

describe('the program', () => {
  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists the commands and the exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.exitCode).toBe(0);
    for (const name of ['init', 'doctor', 'stats', 'queues', 'flush'])
      expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(run.stdout).toMatch(/Exit codes: 0 ok, 1 .*, 2 .*, 130 cancelled/);
  });

  it.each(['init', 'doctor', 'stats', 'queues', 'flush'])('%s --help has examples', async (name) => {
    const run = await runCli([name, '--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Examples:\\n\\s+\\$ (npx )?redis-ops ${name}`));
  });

  it('an unknown flag or command is a usage error (exit 2)', async () => {
    const flag = await runCli(['doctor', '--nope']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--nope'/);
    const cmd = await runCli(['nonsense']);
    expect(cmd.exitCode).toBe(2);
  });
});

describe('bad input: one line, a hint, exit 2', () => {
  const cases: Array<[string, string[], RegExp, RegExp]> = [
    ['unparseable URL', ['--url', 'redis//oops'], /invalid Redis URL|unsupported URL scheme/, /redis:\/\//],
    [
      'unknown scheme',
      ['--url', 'memcached://h:11211'],
      /unsupported URL scheme "memcached:\/\/"/,
      /use redis:\/\//,
    ],
    [
      'port out of range',
      ['--url', 'redis://127.0.0.1:99999'],
      /invalid Redis URL|port out of range/,
      /redis:\/\//,
    ],
    [
      'missing cert file',
      ['--url', 'rediss://localhost:1', '--cacert', 'nope.pem'],
      /--cacert file not found or unreadable: nope\.pem/,
      /check the path/,
    ],
    [
      '--cert without --key',
      ['--url', 'rediss://localhost:1', '--cert', 'c.pem'],
      /--cert needs --key/,
      /--key <file>/,
    ],
    ['bad timeout', ['--timeout', 'soon'], /invalid --timeout: soon/, /duration/],
    ['missing env file', ['--env-file', 'prod.env'], /env file not found: prod\.env/, /--env-file/],
  ];
  it.each(cases)('%s', async (_name, args, message, hint) => {
    const run = await runCli(['doctor', ...args]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^✖ /);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toMatch(/^ {2}hint: /);
    expect(lines[1]).toMatch(hint);
  });

  it('a password in a bad URL is not echoed', async () => {
    const run = await runCli(['doctor', '--url', 'http://admin:Tops3cret-pw@example.com']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).not.toContain('Tops3cret-pw');
  });
});

describe('env files', () => {
  it('reads .env from the current directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-envdir-'));
    writeFileSync(
      join(dir, '.env'),
      `REDIS_HOST=127.0.0.1\nREDIS_PORT=${server.port}\nREDIS_PASSWORD=env-File-pw\n`,
    );
    const { json, run } = await runJson(['doctor'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(json.target).toBe(`redis://default:***@127.0.0.1:${server.port}`);
    expect(run.stdout + run.stderr).not.toContain('env-File-pw');
  });

  it('--env-file, with the process environment winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-envdir-'));
    writeFileSync(join(dir, 'staging.env'), `REDIS_URL=redis://:wrong-one@127.0.0.1:${server.port}\n`);
    const fromFile = await runJson(['doctor', '--env-file', 'staging.env'], { cwd: dir });
    expect(fromFile.run.exitCode).toBe(1);
    const fromProcess = await runJson(['doctor', '--env-file', 'staging.env'], {
      cwd: dir,
      env: { REDIS_URL: server.url },
    });
    expect(fromProcess.run.exitCode).toBe(0);
  });
});
