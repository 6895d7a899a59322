import { spawnSync } from 'node:child_process';

/**
 * What git itself says about a file, so .gitignore rules (negations, `.env*`, nested files,
 * global excludes) are read exactly as git reads them. null: not a git repository (or no git).
 */
function git(dir: string, args: string[]): number | null {
  const r = spawnSync('git', ['-C', dir, ...args], { stdio: 'ignore', timeout: 5000 });
  if (r.error || r.status === null || r.status >= 128) return null;
  return r.status;
}

/** Would git ignore this path (whether or not it is tracked)? */
export function gitIgnores(dir: string, file: string): boolean | null {
  const status = git(dir, ['check-ignore', '-q', '--no-index', '--', file]);
  return status === null ? null : status === 0;
}

/** Is this path in git's index (committed or staged)? */
export function gitTracks(dir: string, file: string): boolean | null {
  const status = git(dir, ['ls-files', '--error-unmatch', '--', file]);
  return status === null ? null : status === 0;
}
