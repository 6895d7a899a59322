import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Once per run, however many projects (unit, e2e) share it:
 *  - every temp dir of the run (servers, certs, projects) goes under one root, removed at the end;
 *  - every redis-server a test starts records its pid in a folder; teardown kills whatever is
 *    left, so no server outlives the run even when a test file crashed before its afterAll;
 *  - `git status` of the repository is taken before and after: a test that wrote (or deleted)
 *    a file inside the repository fails the run, naming the file (tests write in temp dirs only).
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));

interface RunState {
  users: number;
  root: string;
  pids: string;
  status: string | null;
}
const key = Symbol.for('redis-ops.test-run');
const shared = globalThis as unknown as Record<symbol, RunState | undefined>;

function gitStatus(): string | null {
  try {
    // Untracked and changed files, ignored ones (dist/, node_modules/) left out.
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: repo,
      encoding: 'utf8',
    });
  } catch {
    return null; // not a git checkout (an unpacked tarball): nothing to compare
  }
}

export default function setup(): () => void {
  let state = shared[key];
  if (!state) {
    const root = mkdtempSync(join(tmpdir(), 'redis-ops-test-'));
    state = { users: 0, root, pids: mkdtempSync(join(root, 'pids-')), status: gitStatus() };
    shared[key] = state;
    process.env.TMPDIR = root;
    process.env.REDIS_OPS_TEST_PIDS = state.pids;
  }
  state.users++;
  const run = state;
  return () => {
    if (--run.users > 0) return;
    shared[key] = undefined;
    for (const f of readdirSync(run.pids)) {
      const pid = Number(readFileSync(join(run.pids, f), 'utf8'));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(run.root, { recursive: true, force: true });
    const after = gitStatus();
    if (run.status !== null && after !== null && after !== run.status) {
      const before = new Set(run.status.split('\n'));
      const changed = after.split('\n').filter((l) => l && !before.has(l));
      // Thrown from here vitest only logs it ("error during close"): set the exit code too.
      process.exitCode = 1;
      throw new Error(
        `a test wrote into the repository (tests must write in temp dirs only):\n${changed.join('\n') || after}`,
      );
    }
  };
}
