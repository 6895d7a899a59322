import { replyText } from './resp-decode.js';
import type { RespPipe } from './resp-pipe.js';

/**
 * Type, TTL and memory of a batch of keys in one round trip: TYPE, PTTL and MEMORY USAGE
 * (the server's default sampling; `SAMPLES 0` is O(elements), redis.io/docs/latest/commands/memory-usage/) per key,
 * all pipelined; with `hot`, OBJECT FREQ too. Then the element counts of the collections
 * (HLEN/LLEN/SCARD/ZCARD/XLEN, all O(1)) in a second pipelined round trip: the command depends
 * on the type, and guessing it would answer WRONGTYPE errors into the INFO errorstats that
 * `stats --section errors` reports. redis-cli --memkeys needs three round trips per 10 keys for less.
 */
export interface KeySizes {
  /** "string", "hash", ... or "none" when the key vanished since SCAN returned it. */
  types: string[];
  /** PTTL: -1 no expiry, -2 gone, else ms left. */
  pttls: number[];
  /** MEMORY USAGE in bytes; null where unknown (blocked, or the key vanished). */
  bytes: Array<number | null>;
  /** MEMORY USAGE was refused (ACL, provider): stop asking on this node. */
  memoryBlocked: boolean;
  /** Elements of a collection (fields, items, members, entries); null for strings and unknown types. */
  elements?: Array<number | null>;
  /** OBJECT FREQ (LFU's logarithmic access counter, 0-255); only with `hot`. */
  freqs?: Array<number | null>;
  /**
   * The keyspace hits and misses these reads added to INFO stats. Measured on 7.0: TYPE, PTTL,
   * the *LEN commands and OBJECT count as lookups; MEMORY USAGE does not.
   */
  lookupHits?: number;
  lookupMisses?: number;
}

/** The O(1) element count of each collection type. */
export const lengthCommand: Record<string, string> = {
  hash: 'HLEN',
  list: 'LLEN',
  set: 'SCARD',
  zset: 'ZCARD',
  stream: 'XLEN',
};

export interface SizeOptions {
  withMemory: boolean;
  /** OBJECT FREQ per key (the caller checked the policy is LFU). */
  hot?: boolean;
  /** Element counts of collections (a second round trip for the batches that hold any). */
  elements?: boolean;
}

export async function sizeKeys(
  pipe: RespPipe,
  keys: Buffer[],
  withMemory: boolean | SizeOptions,
): Promise<KeySizes> {
  const o: SizeOptions = typeof withMemory === 'boolean' ? { withMemory } : withMemory;
  const per = 2 + (o.withMemory ? 1 : 0) + (o.hot ? 1 : 0);
  const commands: Array<Array<string | Buffer>> = [];
  for (const key of keys) {
    commands.push(['TYPE', key], ['PTTL', key]);
    if (o.withMemory) commands.push(['MEMORY', 'USAGE', key]);
    if (o.hot) commands.push(['OBJECT', 'FREQ', key]);
  }
  const replies = await pipe.send(commands);
  const types = new Array<string>(keys.length);
  const pttls = new Array<number>(keys.length);
  const bytes = new Array<number | null>(keys.length);
  const freqs = o.hot ? new Array<number | null>(keys.length) : undefined;
  let memoryBlocked = false;
  let hits = 0;
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const type = replies[i * per];
    const pttl = replies[i * per + 1];
    // TYPE and PTTL cannot be refused where SCAN is allowed unless ACLs are odd: surface it.
    if (type instanceof Error) throw type;
    if (pttl instanceof Error) throw pttl;
    types[i] = replyText(type) ?? 'none';
    pttls[i] = typeof pttl === 'number' ? pttl : -2;
    if (types[i] === 'none') misses++;
    else hits++;
    if (pttls[i] === -2) misses++;
    else hits++;
    const mem = o.withMemory ? replies[i * per + 2] : null;
    if (mem instanceof Error) memoryBlocked = true;
    bytes[i] = typeof mem === 'number' ? mem : null;
    if (freqs) {
      const f = replies[i * per + per - 1];
      if (f instanceof Error) throw f;
      freqs[i] = typeof f === 'number' ? f : null;
      if (freqs[i] === null) misses++;
      else hits++;
    }
  }
  const elements = new Array<number | null>(keys.length).fill(null);
  if (o.elements !== false) {
    const asked: number[] = [];
    const lens: Array<Array<string | Buffer>> = [];
    for (let i = 0; i < keys.length; i++) {
      const cmd = lengthCommand[types[i] as string];
      if (!cmd) continue;
      asked.push(i);
      lens.push([cmd, keys[i] as Buffer]);
    }
    const counts = lens.length > 0 ? await pipe.send(lens) : [];
    asked.forEach((i, k) => {
      const n = counts[k];
      // An empty collection does not exist in Redis: 0 means the key went away (a miss).
      // WRONGTYPE: replaced by another type in between; the lookup still found it.
      if (typeof n === 'number' && n > 0) {
        elements[i] = n;
        hits++;
      } else if (n instanceof Error) hits++;
      else misses++;
    });
  }
  return { types, pttls, bytes, memoryBlocked, elements, freqs, lookupHits: hits, lookupMisses: misses };
}
