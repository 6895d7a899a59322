import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { configureColor } from '../../ui/colors.js';
import { printNote, tableWidth, writeJson, writeStdout } from '../../ui/output.js';
import {
  addConnectionOptions,
  envFileFlag,
  inspectPoint,
  targetFromFlags,
  type RunContext,
} from '../connection.js';
import type { DoctorRunOptions } from '../../doctor/run.js';
import type { DoctorFlags } from './types.js';

function projectDir(cwd: string, dir: string | undefined): string {
  if (dir === undefined) return cwd;
  const full = resolve(cwd, dir);
  if (!existsSync(full)) throw usageError(`project directory not found: ${dir}`, 'check the --project path');
  return full;
}

export function registerDoctor(program: Command, ctx: RunContext): void {
  const cmd = program
    .command('doctor')
    .description(
      'check that this Redis is reachable and fit for its use (cache, BullMQ queues), that the project is wired to it, and gate CI on it',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops doctor
  $ redis-ops doctor --use queue --fail-on warn
  $ redis-ops doctor -h 10.0.0.5 -p 6380 --askpass --fail-on warn
  $ redis-ops doctor --wait 30s --format junit > doctor.xml
  $ redis-ops doctor --target prod --max-failed-jobs 100 --max-memory-pct 90
  $ redis-ops doctor --url rediss://default:$TOKEN@eu1-x.upstash.io:6379 --json
  $ redis-ops doctor --url rediss://localhost:6380 --cacert ./ca.crt

Thresholds and targets can live in redis-ops.yaml (the nearest one up to the repository root,
or --config <file>).`,
    );
  // Choices are checked by parseDoctorFlags (src/options.ts: one message shape, a "did you mean").
  addConnectionOptions(cmd)
    .option(
      '--use <use>',
      'what the instance is for: cache, queue or both (default: inferred from BullMQ queues)',
    )
    .option('--fail-on <level>', 'lowest status that makes the exit code 1: warn or fail (default: fail)')
    .option(
      '--wait <duration>',
      'retry the connection until it works or the time is over: 30s, 2m (bare: seconds)',
    )
    .option(
      '--format <format>',
      'output format: text, json or junit (default: text; --json is --format json)',
    )
    .option(
      '--config <file>',
      'read thresholds and targets from this file (default: the nearest redis-ops.yaml)',
    )
    .option('--wide', 'no wrapping of messages (default: wrap to the terminal)')
    .option('--target <name>', 'connect to a target named in redis-ops.yaml')
    .option('--project <dir>', 'run the project checks on this directory (default: the current one)')
    .option('--min-hit-ratio <ratio>', 'gate: keyspace hit ratio at least this (0-1)')
    .option('--max-memory-pct <pct>', 'gate: used memory at most this % of maxmemory')
    .option('--max-failed-jobs <n>', 'gate: failed BullMQ jobs over all queues at most n')
    .option(
      '--max-waiting-age <duration>',
      'gate: the oldest waiting job at most this old: 5m, 1h (bare: seconds)',
    )
    .option(
      '--max-fork <duration>',
      'latency.fork warns when the last fork took longer: 200ms, 1s (bare: ms; default 500ms)',
    )
    .option(
      '--queues <names>',
      'the queues the queue gates cover, comma-separated: email,reports or prefix:name (default: the queues found; an incomplete view fails the gate)',
    )
    .action(async (opts: DoctorFlags) => {
      const { parseDoctorFlags } = await import('./options.js');
      const settings = parseDoctorFlags(opts);
      await configureColor({ color: opts.color, json: settings.format !== 'text' });
      const { findConfigFile, loadConfigFile, targetUrl } = await import('../../doctor/config-file.js');
      const configPath = findConfigFile(ctx.cwd, opts.config);
      const config = configPath ? loadConfigFile(configPath) : undefined;
      if (
        configPath &&
        opts.config === undefined &&
        (opts.verbose || dirname(configPath) !== resolve(ctx.cwd))
      )
        printNote(`config: ${relative(ctx.cwd, configPath)}`);
      let flags: DoctorFlags = opts;
      if (opts.target !== undefined) {
        if (!config)
          throw usageError(
            `--target ${opts.target} needs a redis-ops.yaml`,
            'create redis-ops.yaml with targets:, or pass --config <file>',
          );
        flags = {
          ...opts,
          url: targetUrl(
            config,
            opts.target,
            (await import('../../redis/target.js')).loadEnv(ctx.env, ctx.cwd, envFileFlag(opts)),
          ),
        };
      }
      const { target, env } = await targetFromFlags(flags, ctx);
      const run: DoctorRunOptions = {
        use: settings.use ?? config?.use,
        useSource: settings.use ? 'flag' : config?.use ? 'config' : undefined,
        failOn: settings.failOn ?? config?.failOn,
        gate: { ...config?.gate, ...settings.gate },
        queues: settings.queues ?? config?.queues,
        forkWarnMs: settings.forkWarnMs ?? config?.maxForkMs,
        waitSeconds: settings.waitSeconds,
        env,
        projectDir: projectDir(ctx.cwd, opts.project),
        projectForced: opts.project !== undefined,
      };
      inspectPoint(ctx, 'doctor', { target, ...run, env: undefined, format: settings.format });
      // Lazy: ioredis, yaml and the probes load only when doctor runs, so --help stays fast.
      const { runDoctor } = await import('../../doctor/run.js');
      const result = await runDoctor(target, run);
      if (settings.format === 'json') writeJson((await import('./render.js')).toDoctorJson(result));
      else if (settings.format === 'junit')
        writeStdout(
          (await import('../../doctor/junit.js')).renderJunit({
            target: result.target,
            checks: result.checks,
            failOn: result.failOn,
          }),
        );
      else
        writeStdout(
          (await import('./render.js')).renderDoctor(
            result,
            ctx.stdoutIsTTY ? tableWidth(opts.wide) : undefined,
          ),
        );
      process.exitCode = result.ok ? 0 : 1;
    });
}
