import type { AnyClient } from '../redis/connect.js';
import { withTimeout } from '../redis/timeout.js';

/**
 * Primary or replica, from INFO replication (ROLE may be denied where INFO is not). A replica
 * answers READONLY to every write, and workers never connect to it.
 */
export type Role = 'primary' | 'replica' | 'unknown';

export async function readRole(client: AnyClient, timeoutMs: number): Promise<Role> {
  try {
    const info = String(await withTimeout(client.info('replication'), timeoutMs, 'INFO replication'));
    const m = /^role:(\w+)/m.exec(info);
    if (!m) return 'unknown';
    return m[1] === 'slave' || m[1] === 'replica' ? 'replica' : 'primary';
  } catch {
    return 'unknown';
  }
}
