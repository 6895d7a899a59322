import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, runCli } from '../helpers/cli.js';

// bin/redis-ops.js is a sh + ES module file (see its comment). It must start where `env` has no
// -S (busybox: Alpine images) and keep Node 20 from taking our --env-file as its own.
const busybox = spawnSync('busybox', ['true']).status === 0 ? 'busybox' : null;

/** PATH with busybox's applets first (sh, env, and the rest) and node: a busybox-like userland. */
function busyboxPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'redis-ops-busybox-'));
  const applets = execFileSync('busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const real = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim();
  for (const applet of applets) symlinkSync(real, join(dir, applet));
  return `${dir}:${dirname(process.execPath)}`;
}

describe.skipIf(!busybox)('the bin in a busybox userland', () => {
  it('starts under busybox sh, with busybox env and tools on PATH', () => {
    const path = busyboxPath();
    const r = spawnSync(join(path.split(':')[0] as string, 'sh'), [binPath, '--version'], {
      env: { PATH: path },
      encoding: 'utf8',
    });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: '0.1.0\n',
      stderr: '',
    });
  });

  it('is needed: busybox env has no -S, so the old `#!/usr/bin/env -S node --` could not start', () => {
    const r = spawnSync('busybox', ['env', '-S', 'node --', binPath, '--version'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/invalid option/);
  });
});

describe('the bin and Node 20', () => {
  it('keeps --env-file ours: a missing file is our one-line error, not Node exit 9', async () => {
    const run = await runCli(['doctor', '--env-file', 'missing.env', '--url', 'redis://127.0.0.1:1']);
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: '✖ env file not found: missing.env\n  hint: check the --dotenv (--env-file) path',
    });
  });

  it.runIf(process.versions.node.startsWith('20.'))(
    'is needed: Node 20 itself reads --env-file after the script name',
    () => {
      const r = spawnSync(process.execPath, ['-e', '0', '--env-file', 'missing.env'], {
        cwd: tmpdir(),
        encoding: 'utf8',
      });
      expect(r.status).toBe(9);
    },
  );
});
