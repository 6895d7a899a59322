import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { closest, parseInteger } from '../../options.js';
import { configureColor } from '../../ui/colors.js';
import { printError, writeJson, writeStdout } from '../../ui/output.js';
import { addConnectionOptions, inspectPoint, targetFromFlags, type RunContext } from '../connection.js';
import type { FlushFlags } from './types.js';
import { plural } from '../../ui/format.js';

/** SCAN COUNT: in `npm run bench flush` larger counts were no faster (the server's SCAN cost per pass is fixed) but blocked a concurrent PING longer (README, Benchmarks). */
export const defaultFlushCount = 1000;

export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  return parseInteger(value, flag, { min: 1 });
}

const coreTypes = ['string', 'list', 'set', 'zset', 'hash', 'stream'];

/**
 * Core types, or a module's type name: SCAN TYPE takes either, and matches nothing for a word
 * that is neither (`--type strng` would count 0 keys and say so as if it were true). A module
 * type name is exactly 9 characters (RedisModule_CreateDataType): ReJSON-RL, MBbloom--, TSDB-TYPE.
 */
export function parseType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (coreTypes.includes(value.toLowerCase())) return value.toLowerCase();
  if (/^[A-Za-z0-9_-]{9}$/.test(value) && value !== value.toLowerCase()) return value;
  const near = closest(value, coreTypes);
  throw usageError(
    `invalid --type: ${value}`,
    `${near ? `did you mean ${near}? ` : ''}one of ${coreTypes.join(', ')}, or a module type such as ReJSON-RL`,
  );
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

With --yes and no --max-keys, keys are deleted as they are scanned (memory stays flat); a
prompt or --max-keys counts first. BullMQ queue keys are never deleted without --include-queues.

Exit codes: 0 done, 1 --max-keys exceeded (nothing deleted) or BullMQ queue keys met while
deleting were kept (the rest deleted), 2 usage/connection error, the
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
    // Under --json nothing is asked, whether or not there is a terminal: say that, not "no terminal".
    if (opts.json && !opts.dryRun && !opts.yes)
      throw usageError(
        'refusing to delete without confirmation: --json asks nothing',
        'check with --dry-run --json first, then pass --yes to delete',
      );
    // Lazy: ioredis and the engine load only when flush runs, so --help stays fast; started
    // before the target is read, so the loading (about 0.1 s) overlaps reading .env and config.
    const engine = Promise.all([import('./run.js'), import('./render.js')]);
    engine.catch(() => undefined); // a bad flag below ends the run first: not 'unhandled'
    const { target } = await targetFromFlags(opts, ctx);
    inspectPoint(ctx, 'flush', { target, prefixes, pattern: opts.pattern, maxKeys, type, count, rate });
    const [{ flush, exitCodeFor }, { renderFlush, toFlushJson }] = await engine;
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
    if (result.status === 'kept-queues')
      printError(result.error ?? 'kept BullMQ queue keys', result.hint ?? undefined);
    if (result.status === 'connection-lost' || result.status === 'failed') {
      // Only a lost connection is finished by running again; a refusal says what to change.
      const head = result.status === 'failed' ? 'stopped' : 'connection lost';
      printError(
        `${head} after deleting ${plural(result.deleted, 'key')}: ${result.error ?? ''}`,
        result.hint ?? undefined,
      );
    }
    // For the bench and the memory test: the peak resident memory of this run, measured by the OS.
    if (ctx.env.REDIS_OPS_REPORT_RSS === '1')
      process.stderr.write(`redis-ops: peak RSS ${process.resourceUsage().maxRSS} KiB\n`);
    process.exitCode = exitCodeFor(result.status);
  });
}
