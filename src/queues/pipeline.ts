import type { Redis } from 'ioredis';
import type { Connection } from '../redis/connect.js';
import { RespServerError, type Reply } from '../redis/resp-decode.js';
import { RespPipe, type Arg } from '../redis/resp-pipe.js';
import { withTimeout } from '../redis/timeout.js';

/** One entry of a pipelined reply: an error or a result (strings as Buffers, integers as numbers). */
export type PipelineReply = [error: Error | null, result: unknown];

/** One command: its name, then its arguments. */
export type Cmd = Arg[];

/** Items per write on the raw pipe, and writes in flight at once. */
const batchItems = 250;
const window = 2;

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
  if (perItem.every((c) => c.length === 0)) return perItem.map(() => []);
  const reader = await openReader(conn, timeoutMs);
  try {
    return await reader.send(perItem);
  } finally {
    reader.close();
  }
}

/** Several rounds of per-item commands over one connection (one raw pipe on standalone). */
export interface Reader {
  send(perItem: Cmd[][]): Promise<PipelineReply[][]>;
  close(): void;
}

export async function openReader(conn: Connection, timeoutMs: number): Promise<Reader> {
  if (!conn.isCluster) {
    // The reply watchdog bounds every wait: no byte for timeoutMs while commands are out fails all.
    const pipe = await RespPipe.openLike(conn.client as Redis, timeoutMs);
    return { send: (perItem) => sendOnPipe(pipe, perItem), close: () => pipe.close() };
  }
  return { send: (perItem) => sendOnCluster(conn, perItem, timeoutMs), close: () => undefined };
}

function sendOnCluster(conn: Connection, perItem: Cmd[][], timeoutMs: number): Promise<PipelineReply[][]> {
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

async function sendOnPipe(pipe: RespPipe, perItem: Cmd[][]): Promise<PipelineReply[][]> {
  const batches: Cmd[][] = [];
  for (let at = 0; at < perItem.length; at += batchItems)
    batches.push(perItem.slice(at, at + batchItems).flat());
  const replies: Reply[][] = new Array<Reply[]>(batches.length);
  // A few batches in flight, not all: the server never waits for the next one, yet neither it
  // nor we run one long burst (on a loaded machine a long burst gets only a fair share of a core).
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      const i = next++;
      const cmds = batches[i] as Cmd[];
      replies[i] = cmds.length > 0 ? await pipe.send(cmds) : [];
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, batches.length) }, lane));
  const flat = replies.flat();
  const out: PipelineReply[][] = [];
  let i = 0;
  for (const cmds of perItem) out.push(cmds.map((): PipelineReply => asEntry(flat[i++] as Reply)));
  return out;
}

/** A step of a per-item procedure: send these commands (one item's, so one slot), get their replies. */
export type Step = (cmds: Cmd[]) => Promise<PipelineReply[]>;

/**
 * Run one sequential procedure per item, all at once: the steps they ask for in the same turn
 * of the event loop go out together in one round trip. A read that needs a few dependent
 * steps (an id, then that job's hash) is written once, like a script, and costs a round trip
 * per step for all items together, not per item.
 */
export async function runSteps<T, R>(
  reader: Reader,
  items: T[],
  procedure: (step: Step, item: T) => Promise<R>,
): Promise<R[]> {
  let pending: Array<{ cmds: Cmd[]; resolve(r: PipelineReply[]): void; reject(e: unknown): void }> = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    reader.send(batch.map((p) => p.cmds)).then(
      (replies) => batch.forEach((p, i) => p.resolve(replies[i] ?? [])),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  };
  const step: Step = (cmds) =>
    new Promise((resolve, reject) => {
      // setImmediate runs after every procedure has reached its next step (microtasks first).
      if (pending.length === 0) setImmediate(flush);
      pending.push({ cmds, resolve, reject });
    });
  return Promise.all(items.map((item) => procedure(step, item)));
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
