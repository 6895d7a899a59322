import { infoNumber } from '../redis/info.js';
import { setting, sumNodes, type Facts } from './facts.js';
import { pass, skip, warn, type CheckResult } from './types.js';
import { formatCount } from '../ui/format.js';

/** Clients and latency: connection headroom, refused connections, the slow log. */

export function checkHeadroom(facts: Facts): CheckResult {
  const id = 'clients.headroom';
  const connected = infoNumber(facts.info, 'connected_clients');
  const max = Number(setting(facts, 'maxclients', 'maxclients') ?? NaN);
  if (connected === undefined || !Number.isFinite(max) || max <= 0) {
    return skip(
      id,
      `maxclients is unknown: INFO has no maxclients and ${facts.config.unavailable ?? 'CONFIG GET gave no answer'}`,
    );
  }
  const pct = (connected / max) * 100;
  const text = `${formatCount(connected)} of ${formatCount(max)} clients connected (${pct.toFixed(1)}%)`;
  if (pct > 80)
    return warn(
      id,
      text,
      'raise maxclients, or look for a connection leak (a new client per request instead of a shared one)',
    );
  return pass(id, text);
}

export function checkRejected(facts: Facts): CheckResult {
  const id = 'clients.rejected';
  const n = sumNodes(facts, 'rejected_connections');
  if (n === undefined) return skip(id, 'INFO stats has no rejected_connections');
  if (n > 0)
    return warn(
      id,
      `${n} connection(s) were rejected (maxclients reached) since the last restart`,
      'raise maxclients, or share one client per process instead of opening many',
    );
  return pass(id, 'no connection was rejected');
}

export function checkSlowlog(facts: Facts): CheckResult {
  const id = 'latency.slowlog';
  const { entries, unavailable } = facts.slowlog;
  if (unavailable) return skip(id, unavailable);
  const threshold = facts.config.values['slowlog-log-slower-than'];
  const limit = threshold !== undefined ? `slower than ${threshold} µs` : 'over the slow log threshold';
  const left = [
    facts.slowlog.own ? `${facts.slowlog.own} of doctor's own` : '',
    facts.slowlog.old ? `${facts.slowlog.old} older than an hour` : '',
  ].filter(Boolean);
  const leftOut = left.length ? ` (left out: ${left.join(', ')})` : '';
  if (entries.length === 0) return pass(id, `no command ${limit} in the slow log in the last hour${leftOut}`);
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.command, (counts.get(e.command) ?? 0) + 1);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([cmd, n]) => `${cmd} ×${n}`);
  const worst = Math.max(...entries.map((e) => e.durationUs));
  return warn(
    id,
    `${entries.length} slow log entries ${limit} in the last hour (slowest ${(worst / 1000).toFixed(1)} ms): ${top.join(', ')}${leftOut}`,
    'look at these commands: KEYS, big HGETALL/SMEMBERS/LRANGE and long Lua scripts block every client; SLOWLOG RESET after fixing',
  );
}
