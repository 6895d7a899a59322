import { usageError } from '../../errors.js';
import { parseDuration, parseInteger } from '../../options.js';
import type { RunContext } from '../connection.js';
import { withConnection } from './command.js';
import type { WatchFlags } from './types.js';

/**
 * `queues --watch [interval]`: the live view on a terminal, NDJSON lines otherwise (a pipe, a
 * CI log, or --json). Gates (--max-failed, --max-waiting-age) belong to one-shot runs.
 */
export async function runQueuesWatch(flags: WatchFlags, ctx: RunContext): Promise<void> {
  const intervalMs =
    typeof flags.watch === 'string'
      ? parseDuration(flags.watch, '--watch', { bare: 's', min: 500, max: 3_600_000 })
      : 2000;
  const count = parseInteger(flags.count, '--count', { min: 1 });
  if (flags.maxFailed !== undefined || flags.maxWaitingAge !== undefined)
    throw usageError(
      '--watch cannot be combined with --max-failed or --max-waiting-age',
      'gate with a one-shot run: redis-ops queues --max-failed 0',
    );
  const live = ctx.stdoutIsTTY && ctx.stdinIsTTY && !flags.json;
  const parsed = { prefixes: flags.prefix ?? [], intervalMs, count, live };
  const code = await withConnection(
    flags,
    ctx,
    async (conn, target) => {
      const opts = {
        target: target.display,
        prefixes: flags.prefix ?? [],
        intervalMs,
        count,
        timeoutMs: target.timeoutMs,
      };
      if (live) {
        const { watchOnTerminal } = await import('./watch-tty.js');
        return watchOnTerminal(conn, opts);
      }
      const { watchQueues } = await import('./watch.js');
      const { toQueuesWatchJson } = await import('./render-watch.js');
      const { onInterrupt } = await import('../../ui/signals.js');
      const abort = new AbortController();
      // Ctrl-C ends the stream after the line in progress: every line printed is whole.
      const release = onInterrupt(() => abort.abort());
      try {
        await watchQueues(conn, {
          ...opts,
          signal: abort.signal,
          onSnapshot: (s) => process.stdout.write(`${JSON.stringify(toQueuesWatchJson(s))}\n`),
        });
      } finally {
        release();
      }
      return abort.signal.aborted ? 130 : 0;
    },
    { command: 'queues', parsed: { watch: true, ...parsed } },
  );
  process.exitCode = code;
}
