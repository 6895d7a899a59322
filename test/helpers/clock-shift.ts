import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds clock-shift.c (gcc, from .ci/run's tools) into a temp dir. `env` goes to
 * startRedis({ env }); `set(seconds)` moves that server's wall clock from now on.
 */
export interface ClockShift {
  env: Record<string, string>;
  set(seconds: number): void;
}

export function clockShift(seconds: number): ClockShift {
  const dir = mkdtempSync(join(tmpdir(), 'redis-ops-clock-'));
  const lib = join(dir, 'clock-shift.so');
  const file = join(dir, 'shift');
  const source = fileURLToPath(new URL('./clock-shift.c', import.meta.url));
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', lib, source], { stdio: 'pipe' });
  const set = (s: number): void => writeFileSync(file, `${Math.round(s)}\n`);
  set(seconds);
  return { env: { LD_PRELOAD: lib, CLOCK_SHIFT_FILE: file }, set };
}
