import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { init } from '../../src/commands/init/index.js';
import type { RunContext } from '../../src/commands/connection.js';
import { askCheckbox, askConfirm, askInput, askSelect } from '../../src/ui/prompt.js';
import { expectUsageError } from '../helpers/usage-error.js';

vi.mock('../../src/ui/prompt.js', () => ({
  askSelect: vi.fn(),
  askInput: vi.fn(),
  askConfirm: vi.fn(),
  askCheckbox: vi.fn(),
}));

const select = vi.mocked(askSelect);

const input = vi.mocked(askInput);

const confirm = vi.mocked(askConfirm);

const ctx = (cwd: string, tty = true): RunContext => ({
  cwd,
  env: {},
  stdinIsTTY: tty,
  stdoutIsTTY: false,
  stderrIsTTY: false,
});

const project = (): string => mkdtempSync(join(tmpdir(), 'redis-ops-init-ask-'));

beforeEach(() => {
  select.mockReset();
  input.mockReset();
  confirm.mockReset();
});

describe('init on a terminal asks what the flags did not say', () => {
  it('every question, answered', async () => {
    select.mockResolvedValueOnce('local').mockResolvedValueOnce('queue').mockResolvedValueOnce('prod');
    input.mockResolvedValueOnce('jobs').mockResolvedValueOnce('6500').mockResolvedValueOnce('2gb');
    confirm.mockResolvedValueOnce(true).mockResolvedValueOnce(false).mockResolvedValueOnce(true); // password, start now, write
    const dir = project();
    const r = await init({}, ctx(dir));
    expect(select.mock.calls.map((c) => c[0])).toEqual([
      'Where does Redis run in production?',
      'What is it for?',
      'Profile?',
    ]);
    expect(input.mock.calls.map((c) => [c[0], c[1]?.default])).toEqual([
      ['Compose service name:', 'redis'],
      ['Port on 127.0.0.1:', '6379'],
      ['maxmemory:', '1gb'],
    ]);
    expect(confirm.mock.calls.map((c) => c[0])).toEqual([
      'Generate a strong password (kept in .env)?',
      'Start it now?',
      'Write these 5 files? (compose.yaml, redis/jobs.conf, .env, .env.example, .gitignore)',
    ]);
    expect(r).toMatchObject({ use: 'queue', profile: 'prod', up: null });
    expect(r.services).toEqual([
      {
        name: 'jobs',
        role: 'queue',
        port: 6500,
        url: 'redis://default:***@127.0.0.1:6500',
        urlVar: 'REDIS_URL',
        conf: 'redis/jobs.conf',
      },
    ]);
    expect(readFileSync(join(dir, 'redis/jobs.conf'), 'utf8')).toMatch(/^maxmemory 2gb$/m);
    expect(parse(readFileSync(join(dir, 'compose.yaml'), 'utf8')).services.jobs.ports).toEqual([
      '127.0.0.1:${REDIS_PORT:-6500}:6379',
    ]);
  });

  it('the prompts validate like the flags', async () => {
    select.mockResolvedValue('local');
    input.mockResolvedValue('x');
    confirm.mockImplementation(async (m: string) => m.startsWith('Write'));
    select.mockResolvedValueOnce('local').mockResolvedValueOnce('cache').mockResolvedValueOnce('dev');
    input.mockResolvedValueOnce('redis').mockResolvedValueOnce('6379').mockResolvedValueOnce('256mb');
    await init({}, ctx(project()));
    const validate = (i: number) => input.mock.calls[i]?.[1]?.validate;
    expect(validate(0)?.('my redis')).toBe('invalid --service: my redis');
    expect(validate(1)?.('99999')).toBe('invalid --port: 99999');
    expect(validate(1)?.('6380')).toBe(true);
    expect(validate(2)?.('lots')).toBe('invalid --maxmemory: lots');
  });

  it('a remote provider asks about a local service, and given flags are not asked again', async () => {
    select.mockResolvedValueOnce('upstash');
    confirm.mockResolvedValueOnce(false).mockResolvedValueOnce(true); // with-local, write
    const r = await init({ use: 'cache', profile: 'dev' }, ctx(project()));
    expect(select).toHaveBeenCalledTimes(1);
    expect(confirm.mock.calls.map((c) => c[0])).toEqual([
      'Also add a local Redis service for development?',
      'Write these 3 files? (.env, .env.example, .gitignore)',
    ]);
    expect(input).not.toHaveBeenCalled();
    expect(r.services).toEqual([]);
  });

  it('--yes, --json and no terminal ask nothing', async () => {
    await init({ yes: true }, ctx(project()));
    await init({ json: true }, ctx(project()));
    await init({}, ctx(project(), false));
    expect(select).not.toHaveBeenCalled();
    expect(input).not.toHaveBeenCalled();
    expect(confirm).not.toHaveBeenCalled();
  });

  it('an existing Redis is asked about first (adopt by default), then which apps to wire', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  api:\n    build: .\n  broker:\n    image: redis:7\n',
    );
    confirm.mockImplementation(async () => true);
    vi.mocked(askCheckbox).mockResolvedValueOnce(['api']);
    const r = await init(
      { use: 'queue', profile: 'dev', port: '6379', maxmemory: '256mb', password: true, up: false },
      ctx(dir),
    );
    expect(confirm.mock.calls[0]?.[0]).toBe(
      'compose.yaml already has Redis: broker (redis:7). Harden it in place (password, loopback port, health check; keeps its data and settings)?',
    );
    expect(input).not.toHaveBeenCalled(); // no service-name question when adopting
    expect(r.adopted).toEqual(['broker']);
    expect(r.wired).toEqual([{ service: 'api', vars: { REDIS_URL: 'redis://default:***@broker:6379' } }]);
    const doc = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8'));
    expect(doc.services.api.depends_on).toEqual({ broker: { condition: 'service_healthy' } });
  });

  it('saying no to adopting writes nothing and asks nothing more', async () => {
    const dir = project();
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  cache:\n    image: valkey/valkey:8\n');
    confirm.mockResolvedValueOnce(false);
    await expect(init({}, ctx(dir))).rejects.toThrow('init does not add a second Redis by accident');
    expect(select).not.toHaveBeenCalled();
    expect(confirm).toHaveBeenCalledTimes(1);
  });

  it('a bad flag fails before any question', async () => {
    await expect(init({ port: 'x' }, ctx(project()))).rejects.toThrow('invalid --port: x');
    expect(select).not.toHaveBeenCalled();
  });

  it('a sentinel flag without --topology sentinel is refused, not ignored, and nothing is written', async () => {
    for (const [flags, text] of [
      [{ sentinelPort: '27000' }, '--sentinel-port applies only to --topology sentinel'],
      [{ master: 'jobs', topology: 'standalone' }, '--master applies only to --topology sentinel'],
    ] as const) {
      const dir = project();
      const err = await init(flags, ctx(dir, false)).catch((e: unknown) => e);
      expect(expectUsageError(err).message).toBe(text);
      expect(readdirSync(dir)).toEqual([]);
    }
    expect(select).not.toHaveBeenCalled();
  });
});
