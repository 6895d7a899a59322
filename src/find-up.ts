import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Project files (.env, redis-ops.yaml) are found the way git finds its repository: in the
 * current directory, then each parent up to the repository root (the first directory holding
 * .git). Outside a repository only the current directory counts, so a stray ~/.env is never read.
 */
export function projectDirs(cwd: string): string[] {
  const dirs: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    dirs.push(dir);
    if (existsSync(join(dir, '.git'))) return dirs;
    const parent = dirname(dir);
    if (parent === dir) return dirs.slice(0, 1);
    dir = parent;
  }
}

/** The nearest `name` from cwd up to the repository root, or undefined. */
export function findUp(cwd: string, name: string): string | undefined {
  for (const dir of projectDirs(cwd)) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}
