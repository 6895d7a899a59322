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
  const run = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
  checkJsonFailure(args, run);
  return run;
}

/** --json, or doctor's --format json, before a `--` (the rule src/report.ts follows). */
function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--');
  const own = end === -1 ? args : args.slice(0, end);
  return own.some(
    (a, i) => a === '--json' || (a === '--format' && own[i + 1] === 'json') || a === '--format=json',
  );
}

/**
 * Every failure under --json, in every e2e test: stdout holds one JSON document, and when it is
 * the error object (not a result a failed run still reports, as flush's) it has the ErrorJson shape.
 */
function checkJsonFailure(args: string[], run: CliRun): void {
  if (!wantsJson(args) || run.exitCode === 0 || run.exitCode === 1 || run.exitCode < 0) return;
  if (run.stdout.trim() === '')
    throw new Error(`exit ${run.exitCode} under --json with nothing on stdout:\n${run.stderr}`);
  let doc: unknown;
  try {
    doc = JSON.parse(run.stdout);
  } catch {
    return; // JSON Lines (stats --watch --json) that stopped mid-way: each line is the test's to read
  }
  if (typeof doc === 'object' && doc !== null && Object.keys(doc).join() === 'error')
    assertJsonShape('ErrorJson', doc);
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
