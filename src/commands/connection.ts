import type { Command } from 'commander';
import { Option } from '../commander.js';
import { printWarning } from '../ui/output.js';
import type { ConnectionFlags, Env, Target } from '../redis/target.js';
import { defaultTimeoutMs } from '../redis/timeout.js';

/** What every command gets from main(): inputs that tests can replace. */
export interface RunContext {
  cwd: string;
  env: Env;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
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

/** The connection flags shared by every command that talks to Redis. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option(
      '-u, --url <url>',
      'redis://, rediss:// or redis+sentinel:// URL (default: REDIS_URL, REDIS_SENTINELS, REDIS_HOST..., redis://127.0.0.1:6379)',
    )
    .option('--env-file <path>', 'read REDIS_* variables from this file (default: .env when present)')
    .option('--tls', 'force TLS')
    .option('--cacert <file>', 'CA certificate to verify the server with')
    .option('--cert <file>', 'client certificate (with --key)')
    .option('--key <file>', 'client private key (with --cert)')
    .option('--sni <name>', 'TLS server name to send and verify (default: the host name)')
    .option('--insecure', 'skip TLS certificate verification (not recommended)')
    .option('--cluster', 'use a cluster client (default: detected)')
    .option(
      '--sentinel <host:port>',
      'a sentinel to ask for the primary (repeatable; with --master)',
      collect,
    )
    .option('--master <name>', 'the master name the sentinels monitor (default: REDIS_SENTINEL_MASTER)')
    .option('--sentinel-user <name>', "the sentinels' own user (default: REDIS_SENTINEL_USERNAME)")
    .option('--sentinel-password <pw>', "the sentinels' own password (default: REDIS_SENTINEL_PASSWORD)")
    .addOption(new Option('--timeout <ms>', 'bound for every network step').default(String(defaultTimeoutMs)))
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'disable colour');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Env (process + env file) and the target, from a command's parsed flags. */
export async function targetFromFlags(
  flags: ConnectionFlags,
  ctx: RunContext,
): Promise<{ target: Target; env: Env }> {
  // Loaded here, not at start-up: --help never resolves a target.
  const { loadEnv, resolveTarget } = await import('../redis/target.js');
  const env = loadEnv(ctx.env, ctx.cwd, flags.envFile);
  const target = resolveTarget(flags, env, ctx.cwd);
  if (target.tls && !target.tls.rejectUnauthorized)
    printWarning('TLS certificate verification is off (--insecure): the connection can be intercepted');
  return { target, env };
}
