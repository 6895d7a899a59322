import type { Redis } from 'ioredis';
import { errorText } from '../redis/hints.js';
import { redact } from '../redis/secrets.js';
import { formatSentinelTarget } from '../redis/sentinel-target.js';
import { toRecords } from '../redis/sentinel.js';
import type { Target } from '../redis/target.js';
import { withTimeout } from '../redis/timeout.js';
import { fail, type CheckResult } from './types.js';

/**
 * A plain redis:// URL that points at a Sentinel port: a sentinel answers PING and INFO, so
 * without this doctor would call it a healthy server. Say what it is, which masters it
 * monitors (SENTINEL MASTERS), and the redis+sentinel:// URL to use instead.
 */
export async function describeSentinelPort(client: Redis, target: Target): Promise<CheckResult> {
  let masters: Record<string, string>[] = [];
  let why = '';
  try {
    masters = toRecords(
      await withTimeout(client.call('SENTINEL', 'MASTERS'), target.timeoutMs, 'SENTINEL MASTERS'),
    );
  } catch (err) {
    why = ` (SENTINEL MASTERS failed: ${redact(errorText(err))})`;
  }
  const list = masters.map(
    (m) =>
      `"${m.name}" at ${m.ip}:${m.port} (${m.flags}, ${m['num-slaves'] ?? '?'} replicas, quorum ${m.quorum ?? '?'})`,
  );
  const url = (name: string): string =>
    formatSentinelTarget(
      // The credentials that got us in are the sentinel's own: they go in the query.
      {
        master: name,
        sentinels: [{ host: target.host, port: target.port }],
        username: target.username,
        password: target.password,
        replica: false,
      },
      { db: target.db, tls: Boolean(target.tls) },
    );
  const names = masters.map((m) => m.name ?? '').filter(Boolean);
  return fail(
    'server.topology',
    `this is a Redis Sentinel, not a data node: ${list.length ? `it monitors ${list.join('; ')}` : `it monitors no master${why}`}`,
    names.length
      ? `point redis-ops at the primary through the sentinels: --url '${url(names[0] as string)}'${names.length > 1 ? ` (or /${names.slice(1).join(', /')})` : ''}`
      : 'use redis+sentinel://host:port/<master-name>',
  );
}
