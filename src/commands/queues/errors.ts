import { CliError } from '../../errors.js';
import { errorText, explainError } from '../../redis/hints.js';

/**
 * A server or network failure in the middle of a queues command (a reply error, `Command timed
 * out`, `Connection is closed.`, a step timeout) is something a server causes, not a bug: one
 * line naming it with a hint, exit 2. Anything else keeps its stack (a bug to report).
 */
function isServerCaused(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (
    err.name === 'ReplyError' ||
    err.name === 'StepTimeoutError' ||
    err.name === 'MaxRetriesPerRequestError'
  )
    return true;
  if (typeof (err as NodeJS.ErrnoException).code === 'string') return true;
  return /Connection is closed|Command timed out|Stream isn't writeable|connection (was )?(lost|closed)|Failed to refresh slots cache|ClusterAllFailedError|Too many Cluster redirections/i.test(
    `${err.name}: ${err.message}`,
  );
}

export function toQueuesError(err: unknown, what: string): unknown {
  if (err instanceof CliError || !isServerCaused(err)) return err;
  const text = (errorText(err).split('\n')[0] ?? '').trim();
  // A reply that never came on a connection that worked: not a firewall (connecting succeeded).
  const hint =
    err instanceof Error && err.name === 'StepTimeoutError' && /^reply|pipeline/.test(err.message)
      ? 'the server stopped answering mid-read (frozen, busy with a slow command, or overloaded): check it with redis-ops doctor, or give more time with --timeout'
      : explainError(err).hint;
  return new CliError(`${what} failed: ${text}`, hint);
}
