import { CliError, ExitCode } from '../../errors.js';
import type { AnyClient } from '../../redis/connect.js';
import { errorText, explainError } from '../../redis/hints.js';
import { parseInfo } from '../../redis/info.js';
import { redact } from '../../redis/secrets.js';
import { isUnlinkMissing } from '../../redis/unlink.js';

/**
 * What stopped a flush, named as what it is. Only a lost connection is worth running again
 * (the keys already deleted are simply not found again); READONLY, NOPERM, OOM and the like
 * answer the same way every time, so the hint says what to change instead.
 */
export interface NamedFailure {
  message: string;
  hint: string;
  /** Running the same command again can finish the job. */
  retry: boolean;
}

const connectionCauses = new Set(['reset', 'timeout', 'refused', 'unreachable', 'dns', 'loading']);

export async function nameFailure(err: Error, client: AnyClient): Promise<NamedFailure> {
  const text = redact(errorText(err));
  const { cause, hint } = explainError(err);
  if (cause === 'readonly') {
    const primary = await primaryOf(client);
    return {
      message: `the server is a read-only replica (${text})`,
      hint: primary
        ? `flush deletes on the primary: point --url at ${primary}`
        : 'flush deletes on the primary: point --url at it (INFO replication on the replica names it)',
      retry: false,
    };
  }
  if (cause === 'acl') {
    return {
      message: `the ACL user may not delete these keys (${text})`,
      hint: isUnlinkMissing(err)
        ? 'grant UNLINK or DEL to this user (ACL SETUSER <user> +unlink +del), or use another user'
        : 'grant this user UNLINK or DEL on the namespace (ACL SETUSER <user> +del ~<prefix>*), or use another user',
      retry: false,
    };
  }
  // Not RESP: nobody refused anything; what answered is not a Redis server (or a broken proxy).
  if (cause === 'protocol') return { message: text.replace(/^ERESPPROTOCOL: /, ''), hint, retry: false };
  if (cause === 'oom') return { message: `the server refused: ${text}`, hint, retry: false };
  if (connectionCauses.has(cause) || /Connection is closed|ECONNRESET|EPIPE/i.test(text))
    return {
      message: text,
      hint: 'run the same command again to finish: keys already deleted are simply not found again',
      retry: true,
    };
  return { message: `the server refused: ${text}`, hint, retry: false };
}

/** A replica's primary as host:port, from INFO replication (works where CONFIG is blocked). */
export async function primaryOf(client: AnyClient): Promise<string | null> {
  try {
    return primaryFromInfo(parseInfo(await client.info('replication')));
  } catch {
    return null;
  }
}

function primaryFromInfo(info: Record<string, string>): string | null {
  return info.role === 'slave' && info.master_host ? `${info.master_host}:${info.master_port ?? 6379}` : null;
}

/** A standalone replica is refused before anything is counted: its keys are the primary's. */
export async function refuseReplica(client: AnyClient, target: string): Promise<void> {
  const info = parseInfo(await client.info('replication'));
  if (info.role !== 'slave') return;
  const primary = primaryFromInfo(info);
  throw new CliError(
    `${target} is a replica${primary ? ` of ${primary}` : ''}: flush deletes on the primary, nothing was deleted`,
    primary
      ? `point --url at the primary ${primary} (same credentials)`
      : 'point --url at the primary (INFO replication on the replica names it)',
    ExitCode.usage,
  );
}
