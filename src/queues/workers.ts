import type { Redis } from 'ioredis';

/**
 * Workers from CLIENT LIST: BullMQ names each worker connection `<prefix>:<base64(name)>`
 * (or `...:w:<workerName>`). CLIENT may be denied (ACL, GCP Memorystore): then the caller falls
 * back to the queue's `stalled-check` key (BullMQ sets it in src/commands/moveStalledJobsToWait-*.lua).
 */
export interface ClientEntry {
  name: string;
  addr: string;
  ageSeconds: number;
  idleSeconds: number;
}

export interface ClientLists {
  /** False when CLIENT LIST was refused; perNode is then empty. */
  available: boolean;
  /** Why it was refused (the server's words). */
  error?: string;
  perNode: ClientEntry[][];
}

export function parseClientList(text: string): ClientEntry[] {
  const out: ClientEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields = new Map<string, string>();
    // name= is the only field that could hold spaces, and Redis forbids spaces in client names.
    for (const kv of line.split(' ')) {
      const i = kv.indexOf('=');
      if (i > 0) fields.set(kv.slice(0, i), kv.slice(i + 1));
    }
    const name = fields.get('name') ?? '';
    if (!name) continue;
    out.push({
      name,
      addr: fields.get('addr') ?? '',
      ageSeconds: Number(fields.get('age') ?? 0),
      idleSeconds: Number(fields.get('idle') ?? 0),
    });
  }
  return out;
}

export async function readClientLists(primaries: Redis[]): Promise<ClientLists> {
  try {
    const lists = await Promise.all(
      primaries.map((node) => node.call('CLIENT', 'LIST') as Promise<string | Buffer>),
    );
    return { available: true, perNode: lists.map((l) => parseClientList(String(l))) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/NOPERM|unknown command|unknown subcommand|not allowed|CLIENT/i.test(message))
      return { available: false, error: message, perNode: [] };
    throw err;
  }
}

export function clientNameOf(prefix: string, name: string): string {
  return `${prefix}:${Buffer.from(name).toString('base64')}`;
}

/** The same match as BullMQ's Queue.getWorkers(). */
export function isWorkerOf(clientName: string, prefix: string, name: string): boolean {
  const stem = clientNameOf(prefix, name);
  return clientName === stem || clientName.startsWith(`${stem}:w:`);
}

/**
 * A queue's workers: on a cluster every worker shows up on each node it talks to, so (as
 * BullMQ does) the node with the most matching connections is the answer, not the sum.
 */
export function workersOf(lists: ClientLists, prefix: string, name: string): ClientEntry[] | null {
  if (!lists.available) return null;
  let best: ClientEntry[] = [];
  for (const entries of lists.perNode) {
    const mine = entries.filter((e) => isWorkerOf(e.name, prefix, name));
    if (mine.length > best.length) best = mine;
  }
  return best;
}

/**
 * workersOf for many queues at once: each connection's name is indexed under every stem it
 * could belong to (the whole name, and what precedes each ":w:"), so counting the workers of
 * 10,000 queues among 10,000 connections is one pass over the connections, not one per queue.
 * The answer is the same as workersOf's length.
 */
export function countWorkers(lists: ClientLists): (prefix: string, name: string) => number | null {
  if (!lists.available) return () => null;
  const perNode = lists.perNode.map((entries) => {
    const counts = new Map<string, number>();
    for (const { name } of entries) {
      const stems = new Set([name]);
      for (let i = name.indexOf(':w:'); i >= 0; i = name.indexOf(':w:', i + 1)) stems.add(name.slice(0, i));
      for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
    }
    return counts;
  });
  return (prefix, name) => {
    const stem = clientNameOf(prefix, name);
    return Math.max(0, ...perNode.map((counts) => counts.get(stem) ?? 0));
  };
}
