import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from '../commander.js';
import { usageError } from '../errors.js';
import { collect } from '../options.js';
import { printNote, printWarning } from '../ui/output.js';
import type { ConnectionFlags, Env, Target } from '../redis/target.js';
import { defaultTimeoutMs } from '../redis/timeout.js';

/** What every command gets from main(): inputs that tests can replace. */
export interface RunContext {
  cwd: string;
  env: Env;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** --askpass: how to read the password (tests give one; default: a prompt, or a line of stdin). */
  readPassword?: () => Promise<string>;
  /**
   * Set by the argv → options table test: a command hands its validated options here and stops
   * before connecting (it throws what this returns).
   */
  inspect?: (command: string, parsed: unknown) => Error;
}

export function defaultContext(): RunContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** The table test's stop: a command calls this once its options are validated. */
export function inspectPoint(ctx: RunContext, command: string, parsed: unknown): void {
  if (ctx.inspect) throw ctx.inspect(command, parsed);
}

export interface OutputFlags {
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export interface CommonFlags extends ConnectionFlags, OutputFlags {
  askpass?: boolean;
  /** --no-auth-warning */
  authWarning?: boolean;
}

/**
 * The connection flags shared by every command that talks to Redis. redis-cli's flags are
 * accepted as they are (-h -p -s -a --user -n -c --askpass): people type them by reflex, and a
 * reflex that prints help and exits 0 would make a CI gate pass without connecting.
 */
export function addConnectionOptions(cmd: Command): Command {
  return (
    cmd
      .option(
        '-u, --url <url>',
        'redis://, rediss://, redis+sentinel:// or unix:// URL (default: REDIS_URL, REDIS_SENTINELS, REDIS_HOST..., redis://127.0.0.1:6379)',
      )
      .option('-h, --host <host>', 'server host, as in redis-cli (default 127.0.0.1)')
      .option('-p, --port <port>', 'server port, as in redis-cli (default 6379)')
      .option('-s, --socket <path>', 'unix socket path, as in redis-cli')
      .option('-a, --pass <password>', 'password (visible to other users: prefer --askpass or REDISCLI_AUTH)')
      .option('--user <username>', 'ACL user name')
      .option('--askpass', 'read the password from a prompt (or a line of stdin)')
      .option('--no-auth-warning', 'no warning about a password given with -a')
      .option('-n, --db <n>', 'database number (default 0, or the one in the URL)')
      .option(
        '--dotenv <path>',
        'read REDIS_* variables from this file (default: the nearest .env up to the repository root)',
      )
      // The old name: Node 20 itself reads --env-file from npx's and npm's own argv and exits 9.
      .addOption(new Option('--env-file <path>', 'same as --dotenv (not through npx/npm)').hideHelp())
      .option('--tls', 'force TLS')
      .option('--cacert <file>', 'CA certificate to verify the server with')
      .option('--cert <file>', 'client certificate (with --key)')
      .option('--key <file>', 'client private key (with --cert)')
      .option('--sni <name>', 'TLS server name to send and verify (default: the host name)')
      .option('--insecure', 'skip TLS certificate verification (not recommended)')
      .option('-c, --cluster', 'use a cluster client (default: detected)')
      .option(
        '--sentinel <host:port>',
        'a sentinel to ask for the primary (repeatable; with --master)',
        collect,
      )
      .option('--master <name>', 'the master name the sentinels monitor (default: REDIS_SENTINEL_MASTER)')
      .option('--sentinel-user <name>', "the sentinels' own user (default: REDIS_SENTINEL_USERNAME)")
      .option('--sentinel-password <pw>', "the sentinels' own password (default: REDIS_SENTINEL_PASSWORD)")
      .addOption(
        new Option(
          '--timeout <duration>',
          'bound for every network step: 5s, 1m, or bare milliseconds',
        ).default(String(defaultTimeoutMs)),
      )
      .option('--json', 'print one JSON document on stdout (errors too: {"error": {...}})')
      .option('-q, --quiet', 'results only: no notes or progress on stderr')
      .option('--verbose', 'print every command sent (credentials masked) and the files and target used')
      .option('--no-color', 'disable colour')
  );
}

async function readPassword(ctx: RunContext): Promise<string> {
  if (ctx.readPassword) return ctx.readPassword();
  if (ctx.stdinIsTTY && ctx.stderrIsTTY) {
    const { askPassword } = await import('../ui/prompt.js');
    return askPassword('Password:');
  }
  // Piped: the first line of stdin, as redis-cli --askpass reads it.
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
}

/** The password flags: -a, --askpass, and the warning redis-cli gives for -a. */
async function passwordFlag(flags: CommonFlags, ctx: RunContext): Promise<string | undefined> {
  if (flags.askpass) {
    if (flags.pass !== undefined)
      throw usageError('--askpass conflicts with -a/--pass', 'give the password one way');
    const pw = await readPassword(ctx);
    if (pw === '') throw usageError('--askpass read an empty password', 'type the password at the prompt');
    return pw;
  }
  if (flags.pass !== undefined && flags.authWarning !== false)
    printWarning(
      'a password given with -a/--pass is visible to other users (ps, shell history): use --askpass or REDISCLI_AUTH',
    );
  return flags.pass;
}

/** --dotenv, or --env-file where it still works. */
export function envFileFlag(flags: Pick<ConnectionFlags, 'dotenv' | 'envFile'>): string | undefined {
  if (flags.dotenv !== undefined && flags.envFile !== undefined && flags.dotenv !== flags.envFile)
    throw usageError(
      '--dotenv conflicts with --env-file',
      '--env-file is the old name of --dotenv: give one',
    );
  return flags.dotenv ?? flags.envFile;
}

/** Env (process + env file) and the target, from a command's parsed flags. */
export async function targetFromFlags(
  flags: CommonFlags,
  ctx: RunContext,
): Promise<{ target: Target; env: Env }> {
  // Loaded here, not at start-up: --help never resolves a target.
  const { loadEnvFile, resolveTarget } = await import('../redis/target.js');
  const envFile = envFileFlag(flags);
  if (flags.verbose) (await import('../redis/trace.js')).setTrace(true);
  const { env, path } = loadEnvFile(ctx.env, ctx.cwd, envFile);
  const pass = await passwordFlag(flags, ctx);
  const target = { ...resolveTarget({ ...flags, pass }, env, ctx.cwd), envFile: path };
  if (target.tls && !target.tls.rejectUnauthorized)
    printWarning('TLS certificate verification is off (--insecure): the connection can be intercepted');
  noteSetup(target, ctx, flags.verbose === true);
  return { target, env };
}

/** Say what the run is set up from when it is not what the user may assume. */
function noteSetup(target: Target, ctx: RunContext, verbose: boolean): void {
  const file = target.envFile;
  if (file !== undefined && (verbose || dirname(file) !== resolve(ctx.cwd)))
    printNote(`env: ${relative(ctx.cwd, file) || file}`);
  if (target.source === 'default') printNote(`no target configured: using ${target.display}`);
  else if (verbose) printNote(`target: ${target.display} (from ${target.source})`);
}
