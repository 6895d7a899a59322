import type { Cluster, Redis } from 'ioredis';

/**
 * Two states `queues show` would otherwise hide: a tripped rate limiter (the `limiter` key
 * counts jobs in the current window and expires with it; `Worker.rateLimit()` sets it to a huge
 * value for a fixed time), and active jobs whose lock is gone (`<q>:<id>:lock` expired): with
 * no worker connected nobody will run the stalled check that moves them back.
 */
type Client = Redis | Cluster;

export interface LimiterState {
  /** Jobs counted in the current window; null when the key does not exist (no limiter running). */
  count: number | null;
  /** Time left in the window (ms); null when there is no key or it has no expiry. */
  resetsInMs: number | null;
  /** Limits set on the queue (meta max/duration); limits passed to workers are not stored in Redis. */
  max: number | null;
  durationMs: number | null;
  /** count reached max, or a manual Worker.rateLimit() (count ≥ 1e8). */
  tripped: boolean;
}

export async function readLimiter(
  client: Client,
  base: string,
  limits: { max: number; durationMs: number } | null,
): Promise<LimiterState> {
  const key = `${base}:limiter`;
  const [value, pttl] = await Promise.all([client.get(key), client.pttl(key)]);
  const count = value === null ? null : Number(value);
  const max = limits?.max ?? null;
  return {
    count,
    resetsInMs: pttl >= 0 ? pttl : null,
    max,
    durationMs: limits?.durationMs ?? null,
    tripped: count !== null && ((max !== null && count >= max) || count >= 1e8),
  };
}

export interface StalledState {
  /** Active jobs looked at (the first `limit` of the active list). */
  examined: number;
  /** Their ids whose lock key is gone. */
  unlocked: string[];
}

export async function readStalled(client: Client, base: string, limit = 100): Promise<StalledState> {
  const ids = await client.lrange(`${base}:active`, 0, limit - 1);
  if (ids.length === 0) return { examined: 0, unlocked: [] };
  const exists = await Promise.all(ids.map((id) => client.exists(`${base}:${id}:lock`)));
  return { examined: ids.length, unlocked: ids.filter((_, i) => exists[i] === 0) };
}
