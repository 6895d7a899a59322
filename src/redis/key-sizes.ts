import { replyText } from './resp-decode.js';
import type { RespPipe } from './resp-pipe.js';

/**
 * Type, TTL and memory of a batch of keys in one round trip: TYPE, PTTL and MEMORY USAGE
 * (the server's default sampling; `SAMPLES 0` is O(elements), redis.io/docs/latest/commands/memory-usage/) per key,
 * all pipelined. redis-cli --memkeys needs three round trips per 10 keys for less.
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
}

export async function sizeKeys(pipe: RespPipe, keys: Buffer[], withMemory: boolean): Promise<KeySizes> {
  const per = withMemory ? 3 : 2;
  const commands: Array<Array<string | Buffer>> = [];
  for (const key of keys) {
    commands.push(['TYPE', key], ['PTTL', key]);
    if (withMemory) commands.push(['MEMORY', 'USAGE', key]);
  }
  const replies = await pipe.send(commands);
  const types = new Array<string>(keys.length);
  const pttls = new Array<number>(keys.length);
  const bytes = new Array<number | null>(keys.length);
  let memoryBlocked = false;
  for (let i = 0; i < keys.length; i++) {
    const type = replies[i * per];
    const pttl = replies[i * per + 1];
    // TYPE and PTTL cannot be refused where SCAN is allowed unless ACLs are odd: surface it.
    if (type instanceof Error) throw type;
    if (pttl instanceof Error) throw pttl;
    types[i] = replyText(type) ?? 'none';
    pttls[i] = typeof pttl === 'number' ? pttl : -2;
    const mem = withMemory ? replies[i * per + 2] : null;
    if (mem instanceof Error) memoryBlocked = true;
    bytes[i] = typeof mem === 'number' ? mem : null;
  }
  return { types, pttls, bytes, memoryBlocked };
}
