import type { AnyClient } from '../redis/connect.js';
import { withTimeout } from '../redis/timeout.js';

/**
 * Can this user run Lua? BullMQ needs EVAL/EVALSHA for getJobCounts, getJobs and every
 * mutation; an ACL without @scripting denies them. `EVAL "return 1" 0` touches no key and
 * writes nothing, so asking is safe on any server.
 */
export interface ScriptingAccess {
  allowed: boolean;
  /** The server's refusal, e.g. "NOPERM this user has no permissions to run the 'eval' command". */
  error: string | null;
}

export async function probeScripting(client: AnyClient, timeoutMs: number): Promise<ScriptingAccess> {
  try {
    await withTimeout(client.call('EVAL', 'return 1', '0'), timeoutMs, 'EVAL probe');
    return { allowed: true, error: null };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/NOPERM|unknown command|not allowed|NOSCRIPT|disabled/i.test(message))
      return { allowed: false, error: message };
    throw err;
  }
}
