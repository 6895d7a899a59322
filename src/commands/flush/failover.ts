import type { Connection } from '../../redis/connect.js';
import { resolveSentinelNode } from '../../redis/sentinel.js';
import type { Target } from '../../redis/target.js';
import type { FlushResult } from './types.js';

/**
 * flush on a Sentinel target: after deleting, ask the sentinels whether the primary is still the
 * node we deleted on. After a failover the old primary can stay up as a master for seconds; what
 * we deleted there is lost when it resyncs as a replica, so the run is not done: say so, with
 * what was deleted, and ask for a re-run (which goes to the new primary).
 */
export async function noteFailover(conn: Connection, target: Target, result: FlushResult): Promise<void> {
  const node = conn.node;
  if (!node || node.role !== 'primary' || result.dryRun) return;
  // 'failed' too: a READONLY from the old primary once it is converted is a failover, not a fault.
  if (result.status !== 'done' && result.status !== 'connection-lost' && result.status !== 'failed') return;
  if (result.status === 'done' && result.deleted === 0) return;
  let now: string | null = null;
  try {
    now = (await resolveSentinelNode(target)).address;
  } catch {
    // No sentinel answers: say nothing we do not know; a connection error speaks for itself.
  }
  if (now === null || now === node.address) return;
  result.status = 'connection-lost';
  result.error = `failover during the flush: the primary is now ${now} (was ${node.address}); keys deleted on ${node.address} after the switch come back when it resyncs as a replica`;
  result.hint = 'run the same command again: it goes to the new primary';
}
