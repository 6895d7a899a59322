import type { Cluster, Redis } from 'ioredis';

/**
 * A state `queues show` would otherwise hide: a tripped rate limiter (the `limiter` key counts
 * jobs in the current window and expires with it; `Worker.rateLimit()` sets it to a huge value
 * for a fixed time). Stalled jobs are read in stalled.ts.
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
