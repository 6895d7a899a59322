import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A check as `doctor --json` prints it. */
export type Check = { id: string; status: string; message: string; hint: string | null };

export function byId(checks: Check[], id: string): Check {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${checks.map((x) => x.id).join(',')}`);
  return c;
}

/** A temp project directory holding these files (paths may have folders). */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'redis-ops-project-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
