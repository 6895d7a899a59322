import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { configureColor } from '../../ui/colors.js';
import { printError, writeJson, writeStdout } from '../../ui/output.js';
import { addConnectionOptions, targetFromFlags, type RunContext } from '../connection.js';
import type { FlushFlags } from './types.js';

/** SCAN COUNT: in `npm run bench flush` larger counts were no faster (the server's SCAN cost per pass is fixed) but blocked a concurrent PING longer (README, Benchmarks). */
export const defaultFlushCount = 1000;

export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw usageError(
      `${flag} must be a positive whole number, got ${JSON.stringify(value)}`,
      `e.g. ${flag} 1000`,
    );
  }
  return Number(value);
}

export function parseType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Core types, or a module's type name (ReJSON-RL): SCAN TYPE takes either.
  if (!/^[A-Za-z][\w-]*$/.test(value))
    throw usageError(
      `--type ${JSON.stringify(value)} is not a type name`,
      'one of string, list, set, zset, hash, stream',
    );
  return value;
}

export function registerFlush(program: Command, ctx: RunContext): void {
  const cmd = program
    .command('flush')
    .description(
      'delete every key under a prefix, safely (count, confirm, UNLINK in small batches) on a server or a cluster',
    )
    .argument('[prefix...]', 'literal key prefixes: glob characters in them are escaped')
    .option('--pattern <glob>', 'a raw SCAN MATCH glob instead of prefixes')
    .option('--dry-run', 'count matching keys, show a sample and the count per node; delete nothing')
    .option('-y, --yes', 'delete without the typed confirmation (required without a terminal)')
    .option('--include-queues', 'also delete BullMQ queue keys the prefix reaches')
    .option('--max-keys <n>', 'abort before deleting anything when more than n keys match')
    .option('--type <type>', 'only keys of this type (string, list, set, zset, hash, stream)')
    .option('--count <n>', `SCAN COUNT per call (default ${defaultFlushCount})`)
    .option('--rate <keys/s>', 'delete at most this many keys per second (busy servers)')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops flush 'cache:page:[v1]:' --dry-run
  $ redis-ops flush cache: session:tmp:
  $ redis-ops flush cache: --yes --max-keys 500000 --json
  $ redis-ops flush --pattern 'cache:*:html' --rate 20000 --yes

Exit codes: 0 done, 1 --max-keys exceeded (nothing deleted), 2 usage/connection error, the
connection was lost mid-way (run again to finish) or the server refused (READONLY, NOPERM, OOM:
the message says what to change), 130 interrupted (the report says what was deleted).`,
    );
  addConnectionOptions(cmd).action(async (prefixes: string[], opts: FlushFlags) => {
    await configureColor({ color: opts.color, json: opts.json });
    const count = parsePositiveInt(opts.count, '--count') ?? defaultFlushCount;
    const rate = parsePositiveInt(opts.rate, '--rate');
    const maxKeys =
      opts.maxKeys === undefined
        ? undefined
        : opts.maxKeys === '0'
          ? 0
          : parsePositiveInt(opts.maxKeys, '--max-keys');
    const type = parseType(opts.type);
    const { target } = await targetFromFlags(opts, ctx);
    // Lazy: ioredis and the engine load only when flush runs, so --help stays fast.
    const { flush, exitCodeFor } = await import('./run.js');
    const { renderFlush, toFlushJson } = await import('./render.js');
    const result = await flush({
      target,
      prefixes,
      pattern: opts.pattern,
      dryRun: Boolean(opts.dryRun),
      yes: Boolean(opts.yes),
      includeQueues: Boolean(opts.includeQueues),
      maxKeys,
      type,
      count,
      rate,
      interactive: ctx.stdinIsTTY && ctx.stderrIsTTY && !opts.json,
      progress: ctx.stderrIsTTY,
    });
    if (opts.json) writeJson(toFlushJson(result));
    else writeStdout(renderFlush(result));
    if (result.status === 'connection-lost' || result.status === 'failed') {
      // Only a lost connection is finished by running again; a refusal says what to change.
      const head = result.status === 'failed' ? 'stopped' : 'connection lost';
      printError(
        `${head} after deleting ${result.deleted} keys: ${result.error ?? ''}`,
        result.hint ?? undefined,
      );
    }
    process.exitCode = exitCodeFor(result.status);
  });
}
