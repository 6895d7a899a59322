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
  return new CliError(`${what} failed: ${text}`, explainError(err).hint);
}
