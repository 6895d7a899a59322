import type { Command } from 'commander';
import { Option } from '../../commander.js';
import { usageError } from '../../errors.js';
import { printProgress, writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import { commonOptions, mergedFlags, withConnection } from './command.js';
import { parsePositive } from './options.js';
import type { QueuesFlags } from './types.js';

/**
 * `queues schedulers <queue>`: every job scheduler and repeatable job, read from the keys
 * (BullMQ's getter deletes broken ones); `queues schedulers <queue> remove <id>` through
 * BullMQ's removeJobScheduler, with the actions' guards (preview, y/N or --yes, --dry-run).
 */
interface SchedulersFlags extends QueuesFlags {
  limit?: string;
  yes?: boolean;
  dryRun?: boolean;
}

export function registerSchedulersCommand(queues: Command, ctx: RunContext): void {
  const cmd = commonOptions(
    queues
      .command('schedulers <queue> [action] [id]')
      .description(
        'job schedulers and repeatable jobs: pattern or interval, next run, template, iterations; remove one',
      ),
  )
    .addOption(new Option('--limit <n>', 'read at most n schedulers, next to run first (default 1000)'))
    .option('-y, --yes', 'with remove: do it without asking (needed when there is no terminal)')
    .option('--dry-run', 'with remove: show what would be removed; change nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops queues schedulers email
  $ redis-ops queues schedulers email --json | jq '.schedulers[] | {id, pattern, next}'
  $ redis-ops queues schedulers email remove nightly-digest --dry-run
  $ redis-ops queues schedulers email remove nightly-digest --yes`,
    );
  cmd.action(
    async (
      queueName: string,
      action: string | undefined,
      id: string | undefined,
      _f: SchedulersFlags,
      self: Command,
    ) => {
      const flags = mergedFlags<SchedulersFlags>(self);
      if (action !== undefined && action !== 'remove')
        throw usageError(
          `unknown schedulers action: ${action}`,
          'the only action is remove: queues schedulers <queue> remove <id>',
        );
      if (action === 'remove' && id === undefined)
        throw usageError('remove needs the scheduler id', 'list them: redis-ops queues schedulers <queue>');
      if (action === undefined && (flags.yes || flags.dryRun))
        throw usageError(
          '--yes and --dry-run go with remove',
          'e.g. redis-ops queues schedulers <queue> remove <id> --dry-run',
        );
      const limit = parsePositive(flags.limit, '--limit') ?? 1000;
      const prefixes = flags.prefix ?? [];
      if (action === 'remove' && id !== undefined) {
        const result = await withConnection(
          flags,
          ctx,
          async (conn, target) => {
            const { removeScheduler } = await import('./schedulers-remove.js');
            const { askConfirm } = await import('../../ui/prompt.js');
            return removeScheduler(conn, {
              name: queueName,
              prefixes,
              id,
              yes: Boolean(flags.yes),
              dryRun: Boolean(flags.dryRun),
              interactive: ctx.stdinIsTTY && ctx.stderrIsTTY && !flags.json,
              noPrompt: flags.json ? '--json asks nothing' : 'no terminal to ask on',
              timeoutMs: target.timeoutMs,
              confirm: (message) => askConfirm(message, false),
              announce: (line) => printProgress(`${line}\n`),
            });
          },
          { command: 'queues schedulers remove', parsed: { queue: queueName, prefixes, id } },
        );
        const { renderRemove, toSchedulerRemoveJson } = await import('./render-schedulers.js');
        if (flags.json) writeJson(toSchedulerRemoveJson(result));
        else writeStdout(renderRemove(result));
        process.exitCode = 0;
        return;
      }
      const result = await withConnection(
        flags,
        ctx,
        async (conn, target) => {
          const { findQueues, pickQueue } = await import('../../queues/load.js');
          const { readSchedulers } = await import('../../queues/schedulers.js');
          const queue = pickQueue((await findQueues(conn, prefixes)).queues, queueName, prefixes);
          const read = await readSchedulers(conn.client, queue.base, limit);
          return { target: target.display, queue, ...read, now: Date.now() };
        },
        { command: 'queues schedulers', parsed: { queue: queueName, prefixes, limit } },
      );
      const { renderSchedulers, toSchedulersJson } = await import('./render-schedulers.js');
      if (flags.json) writeJson(toSchedulersJson(result));
      else writeStdout(renderSchedulers(result));
      process.exitCode = 0;
    },
  );
}
