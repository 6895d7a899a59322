import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertJsonShape, shapeFor } from './json-shape.js';

/** An empty folder to run in by default: no .env or compose file of anyone's gets read. */
const emptyDir = mkdtempSync(join(tmpdir(), 'redis-ops-cwd-'));

export const binPath = fileURLToPath(new URL('../../bin/redis-ops.js', import.meta.url));

export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Spawn the built CLI with a clean environment (only PATH and what the test passes), no stdin,
 * in a given cwd; never inherits REDIS_URL or a .env from the developer's machine.
 */
export async function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<CliRun> {
  // Run the bin file itself, so its shebang is tested too.
  const r = await execa(binPath, args, {
    cwd: opts.cwd ?? emptyDir,
    // TMPDIR: what the CLI leaves in temp dirs goes under this run's root (global-setup).
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TMPDIR: tmpdir(), ...opts.env },
    extendEnv: false,
    reject: false,
    timeout: opts.timeoutMs ?? 30_000,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
}

export async function runJson<T = any>(
  args: string[],
  opts: Parameters<typeof runCli>[1] = {},
): Promise<{ json: T; run: CliRun }> {
  const run = await runCli([...args, '--json'], opts);
  let json: T;
  try {
    json = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.exitCode}):\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
  // Every result a command prints (exit 0, or 1: checks ran and one failed) has its typed shape.
  if (run.exitCode === 0 || run.exitCode === 1) assertJsonShape(shapeFor(args), json);
  return { json, run };
}
