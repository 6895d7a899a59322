import { registerSecret, redact } from '../redis/secrets.js';
import type { Env } from '../redis/target.js';
import { fail, pass, skip, type CheckResult } from './types.js';

/**
 * upstash.rest: the REST endpoint answers PONG to GET <url>/ping with the bearer token
 * (Upstash docs, REST API: GET /ping with a Bearer token). The token is registered as a secret and never printed.
 */
export const hasUpstashRest = (env: Env): boolean =>
  Boolean(env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN);

export async function checkUpstashRest(env: Env, timeoutMs: number): Promise<CheckResult> {
  const id = 'upstash.rest';
  const base = String(env.UPSTASH_REDIS_REST_URL).replace(/\/+$/, '');
  const token = String(env.UPSTASH_REDIS_REST_TOKEN);
  registerSecret(token);
  // init --provider upstash writes placeholders: not a failure, a step still to do.
  if (/YOUR[-_]/.test(`${base} ${token}`))
    return skip(
      id,
      'UPSTASH_REDIS_REST_URL/TOKEN are still the placeholders init wrote: copy them from the Upstash console',
    );
  let url: URL;
  try {
    url = new URL(`${base}/ping`);
  } catch {
    return fail(
      id,
      `UPSTASH_REDIS_REST_URL is not a URL: ${redact(base)}`,
      'copy the REST URL (https://...upstash.io) from the Upstash console',
    );
  }
  try {
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    if (res.status === 401 || res.status === 403) {
      return fail(
        id,
        `${url.origin} refused the token (HTTP ${res.status})`,
        'UPSTASH_REDIS_REST_TOKEN is wrong or revoked: copy the token from the Upstash console (the read-only token cannot run every command)',
      );
    }
    let result: unknown;
    try {
      result = (JSON.parse(body) as { result?: unknown }).result;
    } catch {
      result = undefined;
    }
    if (res.ok && result === 'PONG') return pass(id, `${url.origin}/ping answered PONG`);
    return fail(
      id,
      `${url.origin}/ping answered HTTP ${res.status}: ${redact(body.slice(0, 120))}`,
      'check UPSTASH_REDIS_REST_URL: it is the https:// REST URL of the database',
    );
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const cause = (e as { cause?: Error }).cause?.message;
    return fail(
      id,
      timedOut
        ? `${url.origin} did not answer within ${timeoutMs} ms`
        : `cannot reach ${url.origin}: ${redact(cause ?? e.message)}`,
      'check UPSTASH_REDIS_REST_URL and the network (a proxy or firewall may block it)',
    );
  }
}
