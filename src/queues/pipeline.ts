import type { ChainableCommander } from 'ioredis';
import type { Connection } from '../redis/connect.js';
import { withTimeout } from '../redis/timeout.js';

/** One entry of ioredis's pipeline.exec(): an error or a result (resp-pipe.ts's Reply is a raw RESP value). */
export type PipelineReply = [error: Error | null, result: unknown];

/**
 * Run a few commands per queue, for many queues, in as few round trips as possible.
 * Standalone: one pipeline for all queues. Cluster: one pipeline per queue on the cluster
 * client (a hash-tagged queue lives in one slot), all in flight together; a queue whose keys
 * span slots (no {hash tag}) gets errors in its replies instead of failing everyone.
 */
export async function pipelinePerItem<T>(
  conn: Connection,
  items: T[],
  add: (p: ChainableCommander, item: T) => void,
  timeoutMs: number,
): Promise<PipelineReply[][]> {
  if (items.length === 0) return [];
  if (!conn.isCluster) {
    const p = conn.client.pipeline();
    const sizes = items.map((item) => {
      const before = p.length;
      add(p, item);
      return p.length - before;
    });
    if (p.length === 0) return sizes.map(() => []);
    const replies = ((await withTimeout(p.exec(), timeoutMs, 'pipeline')) ?? []) as PipelineReply[];
    const out: PipelineReply[][] = [];
    let at = 0;
    for (const n of sizes) {
      out.push(replies.slice(at, at + n));
      at += n;
    }
    return out;
  }
  return Promise.all(
    items.map(async (item) => {
      const p = conn.client.pipeline();
      add(p, item);
      const n = p.length;
      if (n === 0) return [];
      try {
        return (await withTimeout(p.exec(), timeoutMs, 'pipeline')) ?? [];
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        return Array.from({ length: n }, (): PipelineReply => [e, null]);
      }
    }),
  );
}

export function replyNumber(r: PipelineReply | undefined): number {
  if (!r || r[0]) return 0;
  const n = Number(r[1]);
  return Number.isFinite(n) ? n : 0;
}

export function replyArray(r: PipelineReply | undefined): unknown[] {
  return r && !r[0] && Array.isArray(r[1]) ? r[1] : [];
}

/** The first error among a queue's replies, if any (a queue we could not read). */
export function firstError(replies: PipelineReply[]): Error | null {
  return replies.find((r) => r[0])?.[0] ?? null;
}
