import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkProjectEnv,
  checkProjectSecrets,
  readProject,
  runProjectChecks,
} from '../../src/doctor/project.js';
import { checkUpstashRest } from '../../src/doctor/upstash.js';
import { planInit } from '../../src/scaffold/plan.js';
import { resolveSettings, type InitAnswers } from '../../src/scaffold/settings.js';
import { needsWrite, writeChanges } from '../../src/scaffold/write.js';

describe("no false alarms on init's own output", () => {
  it.each<[InitAnswers, string[] | undefined]>([
    [{ provider: 'upstash', withLocal: true, use: 'queue' }, undefined],
    [{ use: 'both' }, ['web']],
    [{ image: 'valkey', adopt: 'cache' }, ['web']],
  ])('%j, wire %j: project.compose and project.secrets pass, upstash.rest skips', async (answers, wire) => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-own-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      answers.adopt
        ? 'services:\n  web:\n    build: .\n    env_file: .env\n  cache:\n    image: valkey/valkey:8\n    ports: ["6379:6379"]\n'
        : 'services:\n  web:\n    build: .\n    env_file: .env\n',
    );
    const s = resolveSettings(answers);
    const plan = planInit(s, dir, { adopt: answers.adopt, wire });
    writeChanges(plan.files.filter(needsWrite));
    const p = readProject(dir);
    if (!p) throw new Error('no project');
    const checks = await runProjectChecks(p, s.use);
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(byId['project.compose']?.status, byId['project.compose']?.message).toBe(wire ? 'pass' : 'fail');
    expect(byId['project.secrets']?.status, byId['project.secrets']?.message).not.toBe('fail');
    if (answers.provider === 'upstash') {
      // Unwired, web loads .env with the host URL: that one finding is real.
      expect(byId['project.compose']?.message).toContain(
        'service web gets REDIS_URL pointing at 127.0.0.1 (from env_file .env)',
      );
      expect((await checkUpstashRest(p.env ?? {}, 1000)).status).toBe('skip');
    }
  });
});

describe('project.env', () => {
  it('REDIS_URL and REDIS_HOST/PORT/PASSWORD must agree', () => {
    expect(
      checkProjectEnv({
        REDIS_URL: 'redis://:pw@localhost:6379',
        REDIS_HOST: 'localhost',
        REDIS_PORT: '6379',
        REDIS_PASSWORD: 'pw',
      }).status,
    ).toBe('pass');
    const r = checkProjectEnv({
      REDIS_URL: 'redis://:pw@localhost:6379',
      REDIS_HOST: 'redis',
      REDIS_PORT: '6380',
      REDIS_PASSWORD: 'other',
    });
    expect(r.status).toBe('warn');
    expect(r.message).toBe(
      'REDIS_URL points at localhost but REDIS_HOST is redis; REDIS_URL uses port 6379 but REDIS_PORT is 6380; REDIS_URL and REDIS_PASSWORD hold different passwords',
    );
    expect(r.message).not.toContain('other');
  });
  it('the Upstash REST URL as REDIS_URL fails; a TLS-only provider over redis:// fails', () => {
    expect(checkProjectEnv({ REDIS_URL: 'https://eu1-x.upstash.io' }).message).toMatch(
      /the Upstash REST URL/,
    );
    const tls = checkProjectEnv({ REDIS_URL: 'redis://default:pw@eu1-x.upstash.io:6379' });
    expect(tls.status).toBe('fail');
    expect(tls.hint).toBe('use rediss:// instead of redis://');
    expect(checkProjectEnv({ REDIS_HOST: 'x.serverless.use1.cache.amazonaws.com' }).hint).toBe(
      'set REDIS_TLS=true',
    );
    expect(checkProjectEnv(undefined).status).toBe('skip');
  });
});

describe('project.secrets', () => {
  const dir = (files: Record<string, string>): string => {
    const d = mkdtempSync(join(tmpdir(), 'redis-ops-proj-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
    return d;
  };
  it('.env listed in .gitignore and placeholders in .env.example pass', async () => {
    const p = readProject(
      dir({
        '.env': 'REDIS_PASSWORD=Xk3r9Qz7Lp2w\n',
        '.env.example': 'REDIS_PASSWORD=change-me\nREDIS_URL=redis://:change-me@localhost:6379\n',
        '.gitignore': 'node_modules\n.env\n',
      }),
    )!;
    expect((await checkProjectSecrets(p)).status).toBe('pass');
  });
  it('.env not ignored warns; a real secret in .env.example fails without printing it', async () => {
    const p = readProject(
      dir({ '.env': 'REDIS_PASSWORD=Xk3r9Qz7Lp2w\n', '.env.example': 'REDIS_PASSWORD=Xk3r9Qz7Lp2w\n' }),
    )!;
    const r = await checkProjectSecrets(p);
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      '.env is not listed in .gitignore; .env.example holds what looks like a real secret in REDIS_PASSWORD (the same value as in .env)',
    );
  });
  it('no project files: no project', () => {
    expect(readProject(dir({}))).toBeUndefined();
  });
});
