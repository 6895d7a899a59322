import type { AnyClient } from '../redis/connect.js';

/**
 * BullMQ's key layout in one place, like BullMQ's own QueueKeys (src/classes/queue-keys.ts in
 * taskforcesh/bullmq): every key of a queue is `<prefix>:<name>:<suffix>`, and `<prefix>:<name>`
 * is the queue's base. Discovery, flush's guard, the counters and the actions all name keys
 * through this module, and "is this a queue" is decided here only.
 */
export const queueKeySuffixes = [
  'wait',
  'paused',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
  'meta',
  'id',
  'events',
  'stalled-check',
  'repeat',
] as const;
export type QueueKeySuffix = (typeof queueKeySuffixes)[number];

/** `<base>:<suffix>`. */
export const queueKey = (base: string, suffix: QueueKeySuffix): string => `${base}:${suffix}`;

/** A legacy (BullMQ ≤ 4) marker job id ("0:<n>") left in a wait list: not a job. */
export function isMarker(id: string | null): boolean {
  return id !== null && id.startsWith('0:');
}

/** A job's hash: `<base>:<job id>`. */
export const jobKey = (base: string, id: string): string => `${base}:${id}`;

/** The states a job can be listed in (`waiting` spans the wait and the v5 paused lists). */
export const jobStates = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;
export type JobState = (typeof jobStates)[number];

/** The states `queues clean` and `queues retry` act on (BullMQ's Queue.clean and retryJobs). */
export const cleanStates = ['completed', 'failed', 'waiting', 'delayed', 'prioritized'] as const;
export type CleanState = (typeof cleanStates)[number];
export const retryStates = ['failed', 'completed'] as const;
export type RetryState = (typeof retryStates)[number];

/** Keys that every queue that ever held a job has at least one of, with the type BullMQ gives them. */
export const stateKeys: ReadonlyArray<[suffix: QueueKeySuffix, type: string]> = [
  ['wait', 'list'],
  ['active', 'list'],
  ['paused', 'list'],
  ['completed', 'zset'],
  ['failed', 'zset'],
  ['delayed', 'zset'],
  ['prioritized', 'zset'],
  ['waiting-children', 'zset'],
  ['events', 'stream'],
];

/** A `<base>:meta` hash is a BullMQ queue's when its version field says so ("bullmq:6.7.0"). */
export const isBullmqVersion = (version: unknown): version is string =>
  typeof version === 'string' && version.startsWith('bullmq');

/** A `<base>:id` counter holds the last job id: an integer (any counter may be called "id"). */
export const isJobIdCounter = (value: unknown): boolean => typeof value === 'string' && /^\d+$/.test(value);

/**
 * The rule for a base found by its id key only (old Bull, or meta lost): an integer id and one
 * state key of BullMQ's type beside it. `types` are the TYPE replies for `stateKeys`, in order.
 */
export const isQueueByIdAndTypes = (id: unknown, types: readonly unknown[]): boolean =>
  isJobIdCounter(id) && stateKeys.some(([, type], j) => typeName(types[j]) === type);

/** TYPE's answer as text: ioredis gives a string, the raw pipe (redis-parser) a Buffer. */
const typeName = (reply: unknown): unknown => (Buffer.isBuffer(reply) ? reply.toString('latin1') : reply);

/** The same rule for one base, through any client (a cluster client routes each key). */
export async function isQueueByIdKey(client: AnyClient, base: Buffer): Promise<boolean> {
  const key = (suffix: string): Buffer => Buffer.concat([base, Buffer.from(`:${suffix}`)]);
  const id = await client.get(key('id'));
  if (!isJobIdCounter(id)) return false;
  const types = await Promise.all(stateKeys.map(([suffix]) => client.type(key(suffix))));
  return isQueueByIdAndTypes(id, types);
}

type Send = (cmd: string, ...args: string[]) => Promise<unknown>;

/** Per-key commands through any client (a cluster client routes each key); errors come back as values. */
export const sender =
  (client: AnyClient): Send =>
  (cmd, ...args) =>
    client.call(cmd, ...args).catch((e: unknown) => e);

/**
 * Discovery's proof for a base found by its id key only (old Bull, or meta lost): more than one
 * structure of the right type — an integer id, a state key of BullMQ's type, and a job hash
 * taken from that state key that has a `timestamp`. An events stream alone proves nothing, so
 * `app:order:7:id` beside `app:order:7:events` is not a queue. (flush's guard keeps the looser
 * isQueueByIdKey: refusing to delete a look-alike is safe, deleting a real queue is not.)
 */
export async function provesQueue(send: Send, base: string): Promise<boolean> {
  const id = await send('GET', queueKey(base, 'id'));
  if (!isJobIdCounter(id)) return false;
  const types = await Promise.all(stateKeys.map(([suffix]) => send('TYPE', queueKey(base, suffix))));
  for (const [suffix, type] of stateKeys.filter(([, t], j) => types[j] === t)) {
    if (type === 'stream') continue;
    const key = queueKey(base, suffix);
    const members =
      type === 'list' ? await send('LRANGE', key, '-2', '-1') : await send('ZRANGE', key, '0', '0');
    const jobId = Array.isArray(members)
      ? (members as unknown[])
          .map(String)
          .filter((m) => !isMarker(m))
          .pop()
      : undefined;
    if (jobId !== undefined && (await send('HEXISTS', jobKey(base, jobId), 'timestamp')) === 1) return true;
  }
  return false;
}

/** A key that may name a queue (`<base>:meta` or `<base>:id`), compared on bytes (keys need not be UTF-8). */
export function isQueueCandidate(key: Buffer): boolean {
  const n = key.length;
  if (n >= 5 && key[n - 5] === 0x3a && key.subarray(n - 4).toString('latin1') === 'meta') return true;
  return n >= 3 && key[n - 3] === 0x3a && key[n - 2] === 0x69 && key[n - 1] === 0x64;
}
