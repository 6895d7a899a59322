import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/commands/init/index.js';
import { renderInit, toInitJson } from '../../src/commands/init/render.js';
import type { RunContext } from '../../src/commands/connection.js';

const ctx = (cwd: string, tty = true): RunContext => ({
  cwd,
  env: {},
  stdinIsTTY: tty,
  stdoutIsTTY: false,
  stderrIsTTY: false,
});

const project = (): string => mkdtempSync(join(tmpdir(), 'redis-ops-init-ask-'));

describe('render', () => {
  it('JSON shape: no diffs unless --dry-run, password masked', async () => {
    const dir = project();
    const r = await init({ yes: true }, ctx(dir));
    const json = toInitJson(r);
    expect(Object.keys(json)).toEqual([
      'dir',
      'dryRun',
      'provider',
      'use',
      'profile',
      'image',
      'services',
      'files',
      'changed',
      'notes',
      'adopted',
      'wired',
      'up',
    ]);
    expect((json.files as object[])[0]).toEqual({
      path: 'compose.yaml',
      action: 'create',
      summary: 'service redis added',
    });
    const password = /REDIS_PASSWORD=(.*)/.exec(readFileSync(join(dir, '.env'), 'utf8'))?.[1] ?? '';
    expect(password.length).toBe(32);
    expect(JSON.stringify(json)).not.toContain(password);
    expect(renderInit(r)).not.toContain(password);

    const dry = await init({ yes: true, dryRun: true, use: 'queue' }, ctx(project()));
    const files = (toInitJson(dry) as { files: Array<{ path: string; diff?: string }> }).files;
    expect(files.find((f) => f.path === '.env')?.diff).toContain(
      '+REDIS_URL=redis://default:***@127.0.0.1:6379',
    );
    expect(renderInit(dry)).toMatch(/dry run: nothing written \(\d files would change\)$/);
  });
});
