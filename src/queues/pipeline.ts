import type { Redis } from 'ioredis';
import type { Connection } from '../redis/connect.js';
import { RespServerError, type Reply } from '../redis/resp-decode.js';
import { RespPipe, type Arg } from '../redis/resp-pipe.js';
import { withTimeout } from '../redis/timeout.js';

/** One entry of a pipelined reply: an error or a result (strings as Buffers, integers as numbers). */
export type PipelineReply = [error: Error | null, result: unknown];

/** One command: its name, then its arguments. */
export type Cmd = Arg[];

/** Items per write on the raw pipe: the server starts on the first while we encode the next. */
const batchItems = 1000;

/**
 * Run a few commands per queue, for many queues, in as few round trips as possible.
 * Standalone: one raw RESP pipe (resp-pipe.ts) for all queues, in batches written back to back:
 * ioredis spends ~10 µs of CPU and a Command object per command, which made `queues` on 10,000
 * queues cost more client CPU than the server's own work (bench queues-10k). Cluster: one
 * ioredis pipeline per queue on the cluster client (a hash-tagged queue lives in one slot, and
 * ioredis follows MOVED/ASK), all in flight together; a queue whose keys span slots (no {hash
 * tag}) gets errors in its replies instead of failing everyone.
 */
export async function pipelinePerItem<T>(
  conn: Connection,
  items: T[],
  add: (cmds: Cmd[], item: T) => void,
  timeoutMs: number,
): Promise<PipelineReply[][]> {
  if (items.length === 0) return [];
  const perItem = items.map((item) => {
    const cmds: Cmd[] = [];
    add(cmds, item);
    return cmds;
  });
  if (!conn.isCluster) return sendOnPipe(conn.client as Redis, perItem, timeoutMs);
  return Promise.all(
    perItem.map(async (cmds) => {
      if (cmds.length === 0) return [];
      const p = conn.client.pipeline();
      for (const [name, ...args] of cmds) p.callBuffer(String(name), ...args);
      try {
        const replies = ((await withTimeout(p.exec(), timeoutMs, 'pipeline')) ?? []) as PipelineReply[];
        return replies.map(([e, v]): PipelineReply => (e ? [e, null] : [null, v]));
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        return cmds.map((): PipelineReply => [e, null]);
      }
    }),
  );
}

async function sendOnPipe(client: Redis, perItem: Cmd[][], timeoutMs: number): Promise<PipelineReply[][]> {
  if (perItem.every((c) => c.length === 0)) return perItem.map(() => []);
  // The reply watchdog bounds every wait: no byte for timeoutMs while commands are out fails all.
  const pipe = await RespPipe.openLike(client, timeoutMs);
  try {
    const sent: Array<Promise<Reply[]>> = [];
    for (let at = 0; at < perItem.length; at += batchItems) {
      const cmds = perItem.slice(at, at + batchItems).flat();
      if (cmds.length > 0) sent.push(pipe.send(cmds));
    }
    const replies = (await Promise.all(sent)).flat();
    const out: PipelineReply[][] = [];
    let i = 0;
    for (const cmds of perItem) {
      out.push(cmds.map((): PipelineReply => asEntry(replies[i++] as Reply)));
    }
    return out;
  } finally {
    pipe.close();
  }
}

function asEntry(reply: Reply): PipelineReply {
  return reply instanceof RespServerError ? [reply, null] : [null, reply];
}

export function replyNumber(r: PipelineReply | undefined): number {
  if (!r || r[0]) return 0;
  const v = Buffer.isBuffer(r[1]) ? r[1].toString('latin1') : r[1];
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

export function replyArray(r: PipelineReply | undefined): unknown[] {
  return r && !r[0] && Array.isArray(r[1]) ? r[1] : [];
}

/** The first error among a queue's replies, if any (a queue we could not read). */
export function firstError(replies: PipelineReply[]): Error | null {
  return replies.find((r) => r[0])?.[0] ?? null;
}
