import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { collect } from '../../options.js';
import { configureColor } from '../../ui/colors.js';
import { tableWidth } from '../../ui/output.js';
import { addConnectionOptions, inspectPoint, targetFromFlags, type RunContext } from '../connection.js';
import type { StatsOptions } from './types.js';

export function registerStats(program: Command, ctx: RunContext): void {
  const cmd = program
    .command('stats')
    .description(
      'INFO turned into answers: memory, hit ratio, evictions, traffic, keyspace; live rates; namespace breakdown',
    )
    .option(
      '--watch [interval]',
      'one row per interval, measured over it: 2s, 1m (bare: seconds; default 1s)',
    )
    .option('--count <n>', 'with --watch: stop after n rows')
    .option(
      '--section <names>',
      'add to the snapshot: commands (calls, latency percentiles), errors (by type), clients (output buffers); repeatable or a comma list',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--keys', 'SCAN every primary and group keys by prefix: count, memory, TTL, types, elements')
    .option('--delimiter <c>', 'with --keys: prefix delimiter (default ":")')
    .option('--depth <n>', 'with --keys: delimiters per prefix (default 1: cache:*, session:*)')
    .option('--match <glob>', 'with --keys: only keys matching this SCAN MATCH glob')
    .option('--top <n>', 'with --keys or --section: show the n biggest (default 10)')
    .option('--hot', 'with --keys: the most used keys by OBJECT FREQ (needs an LFU maxmemory-policy)')
    .option('--wide', 'tables at full width (default: fit the terminal)')
    .option('--sample <n>', 'with --keys: scan at most n keys, scale the figures to DBSIZE (estimates)')
    .option(
      '--hits [duration]',
      'sample live traffic (MONITOR) for a while (default 10 s, max 5 min): hit ratio per namespace',
    )
    .option(
      '--enable-keymiss',
      'with --hits: add key-miss events to notify-keyspace-events for the sample (restored after)',
    )
    .option('--max-ops <n>', 'with --hits: stop after n commands')
    .option(
      '--max-buffer <size>',
      "with --hits: stop when MONITOR's output buffer on the server passes this (default 32MiB)",
    )
    .option(
      '--min-hit-ratio <spec>',
      "with --hits: exit 1 when under target; '<namespace>=<ratio>' or a ratio for the server (repeatable)",
      collect,
    )
    .option('--replica', 'with a sentinel target: read from a replica instead of the primary')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops stats
  $ redis-ops stats --url rediss://default:$TOKEN@eu1-x.upstash.io:6379 --json
  $ redis-ops stats --section commands,errors,clients
  $ redis-ops stats --watch 2 --count 30
  $ redis-ops stats --watch --json > rates.ndjson
  $ redis-ops stats --keys --depth 2 --top 20
  $ redis-ops stats --keys --match 'cache:*' --sample 100000
  $ redis-ops stats --keys --hot
  $ redis-ops stats --hits 30 --min-hit-ratio 'feature-flag:=0.95'
  $ redis-ops stats --hits 60 --watch 5 --json > hits.ndjson
  $ redis-ops stats --keys --replica --url 'redis+sentinel://:$PW@s1:26379,s2:26379/mymaster'`,
    );
  addConnectionOptions(cmd).action(async (opts: StatsOptions) => {
    await configureColor({ color: opts.color, json: opts.json });
    const { parseStatsFlags } = await import('./options.js');
    const mode = parseStatsFlags(opts);
    // --key is TLS's client key (redis-cli's name): a `stats --key` is almost always --keys.
    if (opts.key !== undefined && opts.cert === undefined)
      throw usageError('--key is the TLS client key and needs --cert', 'did you mean --keys?');
    // Lazy: ioredis and the scanner load only when stats runs; started before the target is
    // read, so the loading overlaps reading .env and config.
    const engine = import('./run.js');
    engine.catch(() => undefined); // a bad flag below ends the run first: not 'unhandled'
    const { target } = await targetFromFlags(opts, ctx);
    inspectPoint(ctx, 'stats', { target, mode });
    const { runStats } = await engine;
    process.exitCode = await runStats(target, mode, {
      json: Boolean(opts.json),
      progress: ctx.stderrIsTTY && !opts.json,
      interactive: ctx.stdinIsTTY && ctx.stderrIsTTY && !opts.json,
      // Test hook (e2e): a consumer that stops reading, to prove the buffer bound holds.
      pauseMonitor: ctx.env.REDIS_OPS_TEST_PAUSE_MONITOR === '1',
      width: ctx.stdoutIsTTY ? tableWidth(opts.wide) : undefined,
      sparklines: ctx.stdoutIsTTY && !opts.json,
    });
  });
}
