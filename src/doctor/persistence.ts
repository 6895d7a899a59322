import { infoNumber, parseInfoFields } from '../redis/info.js';
import { forQueues, type Facts } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/** Persistence and replication: is the data safe on disk and on the replicas? */

export function checkPersistStatus(facts: Facts): CheckResult {
  const id = 'persist.status';
  const fields = ['rdb_last_bgsave_status', 'aof_last_write_status', 'aof_last_bgrewrite_status'];
  const bad: string[] = [];
  let seen = 0;
  for (const [i, node] of facts.nodes.entries()) {
    for (const f of fields) {
      const v = node[f];
      if (v === undefined) continue;
      seen++;
      if (v !== 'ok') bad.push(`${f}:${v}${facts.nodes.length > 1 ? ` (primary ${i + 1})` : ''}`);
    }
  }
  if (seen === 0) return skip(id, 'INFO has no persistence section (the provider hides it)');
  if (bad.length)
    return fail(
      id,
      `persistence is failing: ${bad.join(', ')}`,
      'check disk space and permissions of the Redis data dir (and the log); while a save fails, Redis may refuse writes (MISCONF)',
    );
  return pass(id, 'last RDB save and AOF writes are ok');
}

export function checkPersistQueue(facts: Facts): CheckResult {
  const id = 'persist.queue';
  if (!forQueues(facts.use)) return skip(id, 'applies to queue use only');
  const aof =
    facts.info.aof_enabled ??
    (facts.config.values.appendonly === 'yes'
      ? '1'
      : facts.config.values.appendonly === 'no'
        ? '0'
        : undefined);
  if (aof === undefined)
    return skip(
      id,
      `AOF state unknown: INFO has no persistence section and ${facts.config.unavailable ?? 'CONFIG GET gave no answer'}`,
    );
  if (aof !== '1')
    return warn(
      id,
      'queues without AOF: jobs added since the last RDB snapshot are lost when Redis restarts',
      'set appendonly yes and appendfsync everysec',
    );
  const fsync = facts.config.values.appendfsync;
  if (fsync === undefined)
    return pass(id, `AOF is on (appendfsync unknown: ${facts.config.unavailable ?? 'not answered'})`);
  if (fsync === 'no')
    return warn(
      id,
      'AOF is on with appendfsync no: the OS decides when jobs reach the disk',
      'set appendfsync everysec',
    );
  return pass(id, `AOF is on, appendfsync ${fsync}`);
}

export function checkReplication(facts: Facts): CheckResult {
  const id = 'repl.link';
  const info = facts.info;
  if (info.role === 'slave') {
    if (info.master_link_status !== 'up') {
      return fail(
        id,
        `this is a replica and its link to the primary ${info.master_host ?? '?'}:${info.master_port ?? '?'} is ${info.master_link_status ?? 'unknown'}`,
        'check that the primary runs and is reachable from the replica (masterauth, network); connect to the primary for writes',
      );
    }
    const lag = infoNumber(info, 'master_last_io_seconds_ago') ?? 0;
    if (lag > 10)
      return warn(
        id,
        `replica link up, but the last message from the primary was ${lag} s ago`,
        'the primary is busy or the network is slow: check the primary and the replica link',
      );
    return pass(id, `replica, link to ${info.master_host}:${info.master_port} up`);
  }
  const replicas = Object.entries(info)
    .filter(([k]) => /^slave\d+$/.test(k))
    .map(([, v]) => parseInfoFields(v));
  if (replicas.length === 0) return skip(id, 'no replication: a primary without replicas');
  const lagging = replicas.filter((r) => Number(r.lag ?? 0) > 10 || r.state !== 'online');
  if (lagging.length)
    return warn(
      id,
      `${lagging.length} of ${replicas.length} replicas lag or are not online: ${lagging.map((r) => `${r.ip}:${r.port} ${r.state} lag ${r.lag}s`).join(', ')}`,
      'check the replicas and the network between them and the primary',
    );
  return pass(id, `${replicas.length} replica(s) online`);
}
