import type { Command } from 'commander';
import { Option } from '../../commander.js';
import { usageError } from '../../errors.js';
import { printProgress, tableWidth, writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
// keys.ts has no runtime imports: registering stays free of ioredis-using modules.
import { cleanStates, jobStates, retryStates } from '../../queues/keys.js';
import { parseAgeSeconds, parseChoice, parseCount, parseDuration, parsePositive } from './options.js';
import { commonOptions, mergedFlags, withConnection } from './command.js';
import { registerJobCommands } from './job.js';
import { registerJobsCommand } from './jobs.js';
import { registerWipeCommands } from './drain.js';
import { registerSchedulersCommand } from './schedulers.js';
import { registerFlowCommand } from './flow.js';
import type { ActionFlags, ShowFlags, WatchFlags } from './types.js';

function registerAction(
  queues: Command,
  ctx: RunContext,
  name: 'retry' | 'promote' | 'clean' | 'pause' | 'resume',
  description: string,
  extra: (cmd: Command) => Command,
): void {
  const cmd = extra(
    commonOptions(
      queues.command(name === 'retry' ? 'retry [queue]' : `${name} <queue>`).description(description),
    ),
  )
    .option('-y, --yes', 'do it without asking (needed when there is no terminal)')
    .option('--dry-run', 'show what would be touched; change nothing');
  cmd.action(async (queueName: string | undefined, _flags: ActionFlags, self: Command) => {
    const flags = mergedFlags<ActionFlags>(self);
    if (name === 'retry' && (flags.allQueues || queueName === undefined)) {
      const { runRetryAll } = await import('./retry-all-command.js');
      const state = parseChoice(flags.state ?? 'failed', '--state', retryStates) ?? 'failed';
      return runRetryAll(queueName, flags, ctx, state);
    }
    if (queueName === undefined) throw usageError(`missing queue name`, `redis-ops queues ${name} <queue>`);
    const state =
      name === 'retry'
        ? parseChoice(flags.state ?? 'failed', '--state', retryStates)
        : name === 'clean'
          ? parseChoice(flags.state, '--state', cleanStates)
          : undefined;
    const graceMs = name === 'clean' && flags.grace !== undefined ? parseDuration(flags.grace) : undefined;
    const parsed = { action: name, queue: queueName, prefixes: flags.prefix ?? [], state, graceMs };
    const result = await withConnection(
      flags,
      ctx,
      async (conn, target) => {
        const { performAction } = await import('./actions.js');
        const { askConfirm } = await import('../../ui/prompt.js');
        const { onInterrupt } = await import('../../ui/signals.js');
        return performAction(conn, {
          action: name,
          name: queueName,
          prefixes: flags.prefix ?? [],
          state,
          graceMs,
          yes: Boolean(flags.yes),
          dryRun: Boolean(flags.dryRun),
          interactive: ctx.stdinIsTTY && ctx.stderrIsTTY && !flags.json,
          // Under --json nothing is asked, terminal or not: that is the reason to give.
          noPrompt: flags.json ? '--json asks nothing' : 'no terminal to ask on',
          timeoutMs: target.timeoutMs,
          confirm: (message) => askConfirm(message, false),
          announce: (line) => printProgress(`${line}\n`),
          onInterrupt,
        });
      },
      { command: `queues ${name}`, parsed },
    );
    const { renderAction, toActionJson } = await import('./render.js');
    if (flags.json) writeJson(toActionJson(result));
    else writeStdout(renderAction(result));
    process.exitCode = 0;
  });
}

export function registerQueues(program: Command, ctx: RunContext): void {
  const queues = commonOptions(
    program
      .command('queues')
      .description(
        'find every BullMQ queue and show its health (--watch: live); inspect one (show, job, jobs, schedulers, flow) and act on it (retry, promote, clean, pause, resume, drain, obliterate) or on its jobs',
      ),
  )
    .option('--max-failed <n>', 'exit 1 when a queue has more failed jobs than this')
    .option(
      '--max-waiting-age <duration>',
      "exit 1 when a queue's oldest waiting job is older than this: 5m, 1h (bare: seconds)",
    )
    .option('--wide', 'the table at full width (default: fit the terminal)')
    .option(
      '--watch [interval]',
      'live view redrawn every interval on a terminal (keys: q / p r), NDJSON lines otherwise: 2s, 1m (bare: seconds; default 2s)',
    )
    .option('--count <n>', 'with --watch: stop after n snapshots')
    // Flags after a subcommand's name belong to the subcommand, never to this parent.
    .enablePositionalOptions()
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops queues
  $ redis-ops queues --prefix myapp:jobs --json
  $ redis-ops queues --max-failed 0 --max-waiting-age 300     # CI gate: exit 1 when exceeded
  $ redis-ops queues --watch                                  # live view; q quits
  $ redis-ops queues --watch 5 --count 12 > queues.ndjson     # one JSON line per 5 s, for a minute
  $ redis-ops queues show email --jobs failed --limit 20
  $ redis-ops queues retry email --state failed --yes
  $ redis-ops queues clean email --state completed --grace 1h --dry-run
  $ redis-ops queues jobs email --state failed --failed-reason ECONNRESET retry --dry-run
  $ redis-ops queues retry --all-queues --state failed`,
    );
  queues.action(async (flags: WatchFlags) => {
    if (flags.watch !== undefined) {
      const { runQueuesWatch } = await import('./watch-run.js');
      return runQueuesWatch(flags, ctx);
    }
    if (flags.count !== undefined)
      throw usageError('--count needs --watch', 'e.g. redis-ops queues --watch 2 --count 10');
    const maxFailed = parseCount(flags.maxFailed, '--max-failed');
    const maxWaitingAgeSeconds = parseAgeSeconds(flags.maxWaitingAge, '--max-waiting-age');
    const parsed = { prefixes: flags.prefix ?? [], maxFailed, maxWaitingAgeSeconds };
    const result = await withConnection(
      flags,
      ctx,
      async (conn, target) => {
        const { listQueues } = await import('./overview.js');
        return listQueues(conn, target.display, {
          prefixes: flags.prefix ?? [],
          maxFailed,
          maxWaitingAgeSeconds,
          timeoutMs: target.timeoutMs,
        });
      },
      { command: 'queues', parsed },
    );
    const { renderQueues, toQueuesJson } = await import('./render.js');
    if (flags.json) writeJson(toQueuesJson(result));
    else writeStdout(renderQueues(result, ctx.stdoutIsTTY ? tableWidth(flags.wide) : undefined));
    process.exitCode = result.violations.length > 0 ? 1 : 0;
  });

  const show = commonOptions(
    queues
      .command('show <queue>')
      .description('one queue in detail: counts, meta, workers, failure reasons, throughput, jobs'),
  )
    .addOption(
      new Option(
        '--limit <n>',
        'failed jobs to group reasons over; jobs to list with --jobs (default 50 there)',
      ).default(undefined),
    )
    .option(
      '--jobs <state>',
      `list jobs in this state (delayed and prioritized: next to run first; others newest first): ${jobStates.join(', ')}`,
    )
    .option('--minutes <n>', 'throughput window in minutes', '10');
  show.action(async (queueName: string, _flags: ShowFlags, self: Command) => {
    const flags = mergedFlags<ShowFlags>(self);
    const limit = parsePositive(flags.limit, '--limit');
    const jobs = parseChoice(flags.jobs, '--jobs', jobStates);
    const minutes = parsePositive(flags.minutes, '--minutes') ?? 10;
    // One row per minute is drawn: past a day the table (and the events stream) tell nothing more.
    if (minutes > 1440)
      throw usageError(
        `invalid --minutes: ${minutes}`,
        'give at most 1440 (one day); the events stream covers far less',
      );
    const parsed = { queue: queueName, prefixes: flags.prefix ?? [], limit, jobs, minutes };
    const result = await withConnection(
      flags,
      ctx,
      async (conn, target) => {
        const { showQueue } = await import('./show.js');
        return showQueue(conn, target.display, {
          name: queueName,
          prefixes: flags.prefix ?? [],
          limit: limit ?? 1000,
          jobs,
          jobsLimit: limit ?? 50,
          minutes,
          timeoutMs: target.timeoutMs,
        });
      },
      { command: 'queues show', parsed },
    );
    const { renderShow, toShowJson } = await import('./render-show.js');
    if (flags.json) writeJson(toShowJson(result));
    else writeStdout(renderShow(result));
    process.exitCode = 0;
  });

  registerAction(queues, ctx, 'retry', 'move failed (or completed) jobs back to wait', (c) =>
    c
      .option('--state <state>', 'failed or completed', 'failed')
      .option('--all-queues', 'every queue found (one plan with a row per queue)'),
  );
  registerAction(queues, ctx, 'promote', 'run every delayed job now', (c) => c);
  registerAction(queues, ctx, 'clean', 'delete jobs in a state older than a grace period', (c) =>
    c
      .requiredOption('--state <state>', 'completed, failed, waiting, delayed or prioritized')
      .requiredOption('--grace <duration>', 'keep jobs younger than this: 30s, 15m, 1h, 7d (0 deletes all)'),
  );
  registerJobCommands(queues, ctx);
  registerJobsCommand(queues, ctx);
  registerSchedulersCommand(queues, ctx);
  registerFlowCommand(queues, ctx);
  registerAction(queues, ctx, 'pause', 'pause the queue (workers stop taking jobs)', (c) => c);
  registerAction(queues, ctx, 'resume', 'resume a paused queue', (c) => c);
  registerWipeCommands(queues, ctx);
}
