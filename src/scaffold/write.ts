import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError, usageError } from '../errors.js';

/** One file init means to write. before: null when it does not exist yet. */
export interface FileChange {
  path: string;
  abs: string;
  before: string | null;
  after: string;
  /** Mode of the file after writing (0o600 for .env). */
  mode: number;
  /** Mode before, when it exists (a looser .env mode is a change of its own). */
  modeBefore: number | null;
}

export function needsWrite(c: FileChange): boolean {
  return c.before !== c.after || (c.modeBefore !== null && c.modeBefore !== c.mode);
}

export function readMode(abs: string): number | null {
  try {
    return statSync(abs).mode & 0o777;
  } catch {
    return null;
  }
}

/** The project directory must exist, be a directory, and (unless nothing is written) be writable. */
export function checkProjectDir(dir: string, probe: boolean): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw usageError(
      `directory does not exist: ${dir}`,
      'create it first, or pass the project directory: redis-ops init <dir>',
    );
  }
  if (!isDir) throw usageError(`not a directory: ${dir}`, 'pass the project directory: redis-ops init <dir>');
  if (!probe) return;
  // access(W_OK) says yes to root even on read-only places: try a real file instead.
  const file = join(dir, `.redis-ops-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(file, '', { flag: 'wx' });
    unlinkSync(file);
  } catch (err) {
    throw usageError(
      `cannot write in ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'run init in a directory you can write to, or fix its permissions',
    );
  }
}

function linkTarget(abs: string): string {
  try {
    return lstatSync(abs).isSymbolicLink() ? realpathSync(abs) : abs;
  } catch {
    return abs;
  }
}

/**
 * Write every change or none: each file goes to a temp file beside it first; only when all
 * temp files are written are they renamed into place (rename is atomic on one file system),
 * so an error never leaves a half-written compose or .env file.
 */
export function writeChanges(changes: FileChange[]): void {
  const staged: Array<{ tmp: string; abs: string }> = [];
  try {
    for (const c of changes) {
      mkdirSync(dirname(c.abs), { recursive: true });
      // A symlinked .env is written through the link: its target changes, the link stays.
      const abs = linkTarget(c.abs);
      const tmp = `${abs}.redis-ops-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, c.after, { mode: c.mode, flag: 'wx' });
      staged.push({ tmp, abs });
      // The umask may have narrowed the mode; set it exactly (0600 for .env).
      chmodSync(tmp, c.mode);
    }
  } catch (err) {
    for (const s of staged) {
      try {
        unlinkSync(s.tmp);
      } catch {
        // already gone
      }
    }
    throw new CliError(
      `could not write ${changes[staged.length]?.path ?? 'a file'}: ${(err as Error).message}`,
      'nothing was changed; check permissions and free space',
    );
  }
  for (const s of staged) renameSync(s.tmp, s.abs);
}
