import type { Connection } from '../redis/connect.js';
import { scalarText } from '../text.js';
import { queueKey, type JobState } from './keys.js';
import { pipelinePerItem, replyArray, replyNumber, type PipelineReply } from './pipeline.js';

/**
 * A flow's tree, read without writing and bounded. BullMQ links a flow through the job hashes:
 * a child's `parentKey` is its parent's key; a parent keeps its children's keys in
 * `<job>:dependencies` (pending, a set), `<job>:processed` (hash), `<job>:unsuccessful` (zset:
 * failed children) and `<job>:failed` (hash: children whose failure was ignored). Children may
 * live in other queues (other prefixes too).
 *
 * From the job asked for, `parentKey` is followed up to the root (at most 32 levels), then the
 * tree is read level by level from the root: one pipelined round per level for every job of the
 * level (its name, its state by ZSCORE in each state set and LPOS in active, the four child
 * counts), and one more for the child keys (at most `childrenLimit` per job). Depth, children
 * per job and jobs in all (`budget`) are bounded; what is cut is counted, not hidden.
 */
export interface FlowNode {
  key: string;
  base: string;
  id: string;
  name: string | null;
  state: JobState | 'unknown' | 'missing';
  children: { pending: number; processed: number; failed: number; ignored: number };
  nodes: FlowNode[];
  /** Children not read (over the limit, past the depth or the budget). */
  more: number;
}

export interface FlowOptions {
  depth: number;
  childrenLimit: number;
  budget: number;
  timeoutMs: number;
}

export interface FlowTree {
  root: FlowNode;
  nodes: number;
  truncated: boolean;
}

/** `<prefix>:<queue>:<id>` → base and id, by the longest known queue base (names may hold ':'). */
export function splitJobKey(key: string, bases: readonly string[]): { base: string; id: string } {
  let best = '';
  for (const b of bases) if (b.length > best.length && key.startsWith(`${b}:`)) best = b;
  if (best) return { base: best, id: key.slice(best.length + 1) };
  const i = key.lastIndexOf(':');
  return { base: key.slice(0, i), id: key.slice(i + 1) };
}

const zsets = ['completed', 'failed', 'delayed', 'prioritized', 'waiting-children'] as const;
const text = (r: PipelineReply | undefined): string | null =>
  r && !r[0] && r[1] !== null && r[1] !== undefined ? scalarText(r[1]) : null;

function nodeOf(key: string, bases: readonly string[], replies: PipelineReply[]): FlowNode {
  const { base, id } = splitJobKey(key, bases);
  const [name, exists] = replyArray(replies[0]).map((x) =>
    x === null || x === undefined ? null : scalarText(x),
  );
  const scores = zsets.map((_, i) => text(replies[1 + i]));
  const inActive = text(replies[6]) !== null;
  const [pending, processed, failed, ignored] = [7, 8, 9, 10].map((i) => replyNumber(replies[i]));
  const z = zsets.find((_, i) => scores[i] !== null);
  // A hash with a timestamp and in no other state is in wait (or the v5 paused list).
  const state = z ?? (inActive ? 'active' : exists === null ? 'missing' : 'waiting');
  return {
    key,
    base,
    id,
    name: name ?? null,
    state,
    children: {
      pending: pending ?? 0,
      processed: processed ?? 0,
      failed: failed ?? 0,
      ignored: ignored ?? 0,
    },
    nodes: [],
    more: 0,
  };
}

async function readLevel(
  conn: Connection,
  keys: string[],
  bases: readonly string[],
  timeoutMs: number,
): Promise<FlowNode[]> {
  const replies = await pipelinePerItem(
    conn,
    keys,
    (p, key) => {
      const { base, id } = splitJobKey(key, bases);
      p.push(['HMGET', key, 'name', 'timestamp']);
      for (const z of zsets) p.push(['ZSCORE', queueKey(base, z), id]);
      p.push(
        ['LPOS', queueKey(base, 'active'), id, 'MAXLEN', '1000'],
        ['SCARD', `${key}:dependencies`],
        ['HLEN', `${key}:processed`],
        ['ZCARD', `${key}:unsuccessful`],
        ['HLEN', `${key}:failed`],
      );
    },
    timeoutMs,
  );
  return keys.map((k, i) => nodeOf(k, bases, replies[i] ?? []));
}

/** Child keys of each node, pending first, at most `limit` per node (bounded reads only). */
async function readChildKeys(
  conn: Connection,
  nodes: FlowNode[],
  limit: number,
  timeoutMs: number,
): Promise<string[][]> {
  const replies = await pipelinePerItem(
    conn,
    nodes,
    (p, n) => {
      const c = n.children;
      // SSCAN/HSCAN with a COUNT hint: one call each, never the whole set of a huge parent.
      if (c.pending > 0) p.push(['SSCAN', `${n.key}:dependencies`, '0', 'COUNT', limit]);
      if (c.failed > 0) p.push(['ZRANGE', `${n.key}:unsuccessful`, '0', String(limit - 1)]);
      if (c.ignored > 0) p.push(['HSCAN', `${n.key}:failed`, '0', 'COUNT', limit]);
      if (c.processed > 0) p.push(['HSCAN', `${n.key}:processed`, '0', 'COUNT', limit]);
    },
    timeoutMs,
  );
  return nodes.map((n, i) => {
    const r = replies[i] ?? [];
    const out: string[] = [];
    let at = 0;
    const scanned = (hash: boolean): string[] => {
      const page = replyArray(r[at++]);
      const items = replyArray([null, page[1]]).map((x) => scalarText(x));
      return hash ? items.filter((_, k) => k % 2 === 0) : items;
    };
    if (n.children.pending > 0) out.push(...scanned(false));
    if (n.children.failed > 0) out.push(...replyArray(r[at++]).map((x) => scalarText(x)));
    if (n.children.ignored > 0) out.push(...scanned(true));
    if (n.children.processed > 0) out.push(...scanned(true));
    return [...new Set(out)].slice(0, limit);
  });
}

/** The root of the flow the job belongs to (itself when it has no parent). */
export async function findRoot(conn: Connection, key: string): Promise<string> {
  let at = key;
  for (let i = 0; i < 32; i++) {
    const parent = await conn.client.hget(at, 'parentKey');
    if (!parent) return at;
    at = parent;
  }
  return at;
}

export async function readFlow(
  conn: Connection,
  rootKey: string,
  bases: readonly string[],
  opts: FlowOptions,
): Promise<FlowTree> {
  const [root] = await readLevel(conn, [rootKey], bases, opts.timeoutMs);
  if (!root) throw new Error('no root');
  let level = [root];
  let count = 1;
  let truncated = false;
  for (let depth = 0; level.length > 0; depth++) {
    const total = (n: FlowNode): number =>
      n.children.pending + n.children.processed + n.children.failed + n.children.ignored;
    if (depth >= opts.depth || count >= opts.budget) {
      for (const n of level) n.more = total(n);
      truncated ||= level.some((n) => n.more > 0);
      break;
    }
    const keys = await readChildKeys(conn, level, opts.childrenLimit, opts.timeoutMs);
    // Keep to the budget: the children past it are counted in `more`.
    const room = opts.budget - count;
    const wanted = keys.flat().slice(0, room);
    const children = await readLevel(conn, wanted, bases, opts.timeoutMs);
    count += children.length;
    let at = 0;
    level.forEach((n, i) => {
      const mine = (keys[i] ?? []).length;
      const got = children.slice(at, Math.min(at + mine, children.length));
      at += mine;
      n.nodes = got;
      n.more = total(n) - got.length;
      if (n.more > 0) truncated = true;
    });
    level = children;
  }
  return { root, nodes: count, truncated };
}
