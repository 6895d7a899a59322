import type { Command } from 'commander';
import { printProgress, writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import { commonOptions, mergedFlags, withConnection } from './command.js';
import type { QueuesFlags } from './types.js';

/** `queues drain <queue>` and `queues obliterate <queue>` (issue 18): the flow is wipe.ts. */
interface WipeFlags extends QueuesFlags {
  delayed?: boolean;
  yes?: boolean;
  force?: boolean;
  dryRun?: boolean;
}

function registerWipe(queues: Command, ctx: RunContext, action: 'drain' | 'obliterate'): void {
  const cmd = commonOptions(
    queues
      .command(`${action} <queue>`)
      .description(
        action === 'drain'
          ? 'delete every waiting and prioritized job (and delayed ones with --delayed); active, completed and failed stay'
          : 'delete the queue and everything in it: jobs in every state, schedulers, events, metrics, meta',
      ),
  );
  if (action === 'drain') cmd.option('--delayed', 'delete delayed jobs too');
  cmd
    .option('-y, --yes', 'with --force: act without typing the queue name (needed when there is no terminal)')
    .option('--force', 'act even while workers hold active jobs (obliterate: delete active jobs too)')
    .option('--dry-run', 'count what would go; change nothing')
    .addHelpText(
      'after',
      `
On a terminal you type the queue's name to confirm; without one, pass --yes --force.

Examples:
  $ redis-ops queues ${action} email --dry-run
  $ redis-ops queues ${action} email${action === 'drain' ? ' --delayed' : ''}
  $ redis-ops queues ${action} email --yes --force --json`,
    );
  cmd.action(async (queueName: string, _flags: WipeFlags, self: Command) => {
    const flags = mergedFlags<WipeFlags>(self);
    const result = await withConnection(
      flags,
      ctx,
      async (conn, target) => {
        const { performWipe } = await import('./wipe.js');
        const { askInput } = await import('../../ui/prompt.js');
        const { onInterrupt } = await import('../../ui/signals.js');
        return performWipe(conn, {
          action,
          name: queueName,
          prefixes: flags.prefix ?? [],
          target: target.display,
          delayed: Boolean(flags.delayed),
          yes: Boolean(flags.yes),
          force: Boolean(flags.force),
          dryRun: Boolean(flags.dryRun),
          interactive: ctx.stdinIsTTY && ctx.stderrIsTTY && !flags.json,
          noPrompt: flags.json ? '--json asks nothing' : 'no terminal to type the queue name on',
          timeoutMs: target.timeoutMs,
          ask: (message) => askInput(message),
          announce: (line) => printProgress(`${line}\n`),
          onInterrupt,
        });
      },
      { command: `queues ${action}`, parsed: { queue: queueName, delayed: Boolean(flags.delayed) } },
    );
    const { renderWipe, toDrainJson } = await import('./render-wipe.js');
    if (flags.json) writeJson(toDrainJson(result));
    else writeStdout(renderWipe(result));
    process.exitCode = 0;
  });
}

export function registerWipeCommands(queues: Command, ctx: RunContext): void {
  registerWipe(queues, ctx, 'drain');
  registerWipe(queues, ctx, 'obliterate');
}
