import { usageError } from '../../errors.js';
import type { RetryState } from '../../queues/keys.js';
import { color, symbols } from '../../ui/colors.js';
import { printProgress, writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import { withConnection } from './command.js';
import type { ActionFlags, RetryAllJson, RetryAllResult } from './types.js';

/** `queues retry --all-queues`: wiring, JSON and text (the flow is retry-all.ts). */
export function toRetryAllJson(r: RetryAllResult): RetryAllJson {
  const acted = r.rows.filter((x) => x.changed !== null);
  return {
    target: r.target,
    state: r.state,
    dryRun: r.dryRun,
    matched: r.rows.reduce((a, x) => a + (x.matched ?? 0), 0),
    changed: r.dryRun ? null : acted.reduce((a, x) => a + (x.changed ?? 0), 0),
    queues: r.rows.map((x) => ({
      prefix: x.queue.prefix,
      name: x.queue.name,
      key: x.queue.base,
      matched: x.matched,
      changed: x.changed,
      skipped: x.skipped,
    })),
  };
}

export function renderRetryAll(r: RetryAllResult): string {
  const c = color();
  if (r.dryRun) return `${c.cyan(symbols.info)} dry run: ${r.plan}\nnothing changed`;
  const j = toRetryAllJson(r);
  const lines = [`${c.green(symbols.pass)} retried ${j.changed ?? 0} of ${j.matched} jobs in ${r.state}`];
  for (const x of r.rows) {
    if (x.skipped) lines.push(`  ${symbols.warn} ${x.queue.base}: skipped (${x.skipped})`);
    else if ((x.matched ?? 0) > 0) lines.push(`  ${x.queue.base}: ${x.changed ?? 0} of ${x.matched}`);
  }
  return lines.join('\n');
}

export async function runRetryAll(
  queueName: string | undefined,
  flags: ActionFlags,
  ctx: RunContext,
  state: RetryState,
): Promise<void> {
  if (queueName !== undefined && flags.allQueues)
    throw usageError(
      'give a queue or --all-queues, not both',
      `redis-ops queues retry --all-queues --state ${state}`,
    );
  if (!flags.allQueues)
    throw usageError('missing queue name', 'give a queue (queues retry email) or --all-queues');
  const result = await withConnection(
    flags,
    ctx,
    async (conn, target) => {
      const { performRetryAll } = await import('./retry-all.js');
      const { askConfirm } = await import('../../ui/prompt.js');
      const { onInterrupt } = await import('../../ui/signals.js');
      return performRetryAll(conn, {
        target: target.display,
        prefixes: flags.prefix ?? [],
        state,
        yes: Boolean(flags.yes),
        dryRun: Boolean(flags.dryRun),
        interactive: ctx.stdinIsTTY && ctx.stderrIsTTY && !flags.json,
        noPrompt: flags.json ? '--json asks nothing' : 'no terminal to ask on',
        timeoutMs: target.timeoutMs,
        confirm: (message) => askConfirm(message, false),
        announce: (line) => printProgress(`${line}\n`),
        onInterrupt,
      });
    },
    { command: 'queues retry', parsed: { allQueues: true, prefixes: flags.prefix ?? [], state } },
  );
  if (flags.json) writeJson(toRetryAllJson(result));
  else writeStdout(renderRetryAll(result));
  process.exitCode = 0;
}
