import type { Redis } from 'ioredis';
import { openConnection, type Connection } from '../../redis/connect.js';
import { resolveSentinelNode } from '../../redis/sentinel.js';
import type { Target } from '../../redis/target.js';

/**
 * `stats --watch` on a Sentinel target: each tick asks a sentinel which node is the primary
 * (one SENTINEL GET-MASTER-ADDR-BY-NAME per interval). The old primary may stay up and answer
 * as a master for seconds after a failover, so a failing read alone would miss the switch.
 */
export interface Switch {
  primaries: Redis[];
  address: string;
  previous: string;
}

export interface Follower {
  /** The new node when the sentinels name a different one (connected and checked), else null. */
  check(): Promise<Switch | null>;
  close(): Promise<void>;
}

export function followSentinel(target: Target, first: Connection): Follower {
  let conn = first;
  return {
    async check() {
      const now = await resolveSentinelNode(target).catch(() => null);
      const current = conn.node?.address;
      if (!now || now.address === current) return null;
      let next: Connection;
      try {
        next = await openConnection(target);
      } catch {
        return null; // the new node is not ready (or the sentinels still disagree): next tick
      }
      if (next.node?.address === current) {
        await next.close();
        return null;
      }
      const previous = current ?? '?';
      if (conn !== first) await conn.close();
      else first.client.disconnect();
      conn = next;
      return { primaries: next.primaries(), address: next.node?.address ?? now.address, previous };
    },
    async close() {
      if (conn !== first) await conn.close();
    },
  };
}
