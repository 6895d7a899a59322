import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every redis-server a test starts records its pid in this folder; teardown kills whatever is
 * left, so no server outlives the run even when a test file crashed before its afterAll.
 */
export default function setup(): () => void {
  // Every temp dir of this run (servers, certs, projects) goes under one root, removed at the end.
  const root = mkdtempSync(join(tmpdir(), 'redis-ops-test-'));
  process.env.TMPDIR = root;
  const dir = mkdtempSync(join(root, 'pids-'));
  process.env.REDIS_OPS_TEST_PIDS = dir;
  return () => {
    for (const f of readdirSync(dir)) {
      const pid = Number(readFileSync(join(dir, f), 'utf8'));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
}
