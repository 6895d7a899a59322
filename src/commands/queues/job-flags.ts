import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { jobActions, type JobActionName } from '../../queues/job-actions.js';
import { printProgress } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import type { JobActionGuards, QueuesFlags } from './types.js';

/** The flags and guards that `queues job ... <action>` and `queues jobs ... <action>` share. */
export interface JobActionFlags extends QueuesFlags {
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
}

export function addJobActionOptions(cmd: Command): Command {
  return cmd
    .option('--reason <text>', 'discard, move-to-failed: the failed reason to record')
    .option('-y, --yes', 'act without asking (needed when there is no terminal)')
    .option('--dry-run', 'show what would be touched; change nothing');
}

/** The action word (absent: a read), checked; --reason where it belongs. */
export function parseJobAction(word: string | undefined, flags: JobActionFlags): JobActionName | undefined {
  if (word === undefined) {
    if (flags.reason !== undefined || flags.yes || flags.dryRun)
      throw usageError(
        '--reason, --yes and --dry-run go with an action',
        `add one of: ${jobActions.join(', ')}`,
      );
    return undefined;
  }
  if (!(jobActions as readonly string[]).includes(word))
    throw usageError(`unknown action: ${word}`, `give one of: ${jobActions.join(', ')}`);
  const action = word as JobActionName;
  const needsReason = action === 'discard' || action === 'move-to-failed';
  if (needsReason && !flags.reason?.trim())
    throw usageError(
      `${action} needs --reason <text>`,
      'the reason is stored as the failed reason, e.g. --reason "bad payload"',
    );
  if (!needsReason && flags.reason !== undefined)
    throw usageError(`--reason goes with discard and move-to-failed, not ${action}`);
  return action;
}

export async function jobGuards(
  flags: JobActionFlags,
  ctx: RunContext,
  name: string,
  action: JobActionName,
  timeoutMs: number,
): Promise<JobActionGuards> {
  const { askConfirm } = await import('../../ui/prompt.js');
  const { onInterrupt } = await import('../../ui/signals.js');
  return {
    name,
    prefixes: flags.prefix ?? [],
    action,
    reason: flags.reason ?? '',
    yes: Boolean(flags.yes),
    dryRun: Boolean(flags.dryRun),
    interactive: ctx.stdinIsTTY && ctx.stderrIsTTY && !flags.json,
    noPrompt: flags.json ? '--json asks nothing' : 'no terminal to ask on',
    timeoutMs,
    confirm: (message) => askConfirm(message, false),
    announce: (line) => printProgress(`${line}\n`),
    onInterrupt,
    progress: ctx.stderrIsTTY && !flags.json ? await liveProgress(action) : undefined,
  };
}

/** A live bar on a terminal while a filtered action runs, redrawn at most every 100 ms. */
async function liveProgress(action: JobActionName): Promise<(done: number, of: number) => void> {
  const { barLine, clearLive, drawLive, terminalWidth } = await import('../../ui/live.js');
  const started = Date.now();
  let drawn = started; // the first draw after 100 ms: a rate from one job says nothing
  return (done, of) => {
    if (done >= of) return clearLive();
    if (Date.now() - drawn < 100) return;
    drawn = Date.now();
    drawLive(
      barLine({
        label: action,
        done,
        total: of,
        elapsedMs: drawn - started,
        unit: 'jobs',
        width: terminalWidth(),
      }),
    );
  };
}
