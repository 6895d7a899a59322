import { compareVersions } from '../redis/info.js';
import { forQueues, type Facts } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/** What BullMQ needs from the server (BullMQ docs, "Going to production": docs.bullmq.io/guide/going-to-production). */

export function checkVersion(facts: Facts): CheckResult {
  const id = 'bullmq.version';
  if (!forQueues(facts.use)) return skip(id, 'applies to queue use only');
  const { engine, version } = facts.server;
  // Valkey reports a frozen redis_version and Dragonfly its own numbering: the thresholds are Redis's.
  if (engine !== 'redis') return pass(id, `${engine} ${version}: the Redis version thresholds do not apply`);
  if (version === 'unknown') return skip(id, 'the server did not report its version');
  if (compareVersions(version, '5.0.0') < 0)
    return fail(id, `Redis ${version}: BullMQ needs Redis 5.0 or newer`, 'upgrade Redis to 6.2 or newer');
  if (compareVersions(version, '6.2.0') < 0)
    return warn(id, `Redis ${version}: BullMQ recommends 6.2 or newer`, 'upgrade Redis to 6.2 or newer');
  return pass(id, `Redis ${version} is supported by BullMQ`);
}

export function checkScripting(facts: Facts): CheckResult {
  const id = 'bullmq.scripting';
  if (!forQueues(facts.use)) return skip(id, 'applies to queue use only');
  const s = facts.scripting;
  if (!s) return skip(id, 'not checked');
  if (s.unavailable) return skip(id, s.unavailable);
  const how = s.method === 'acl-dryrun' ? `ACL DRYRUN for user ${facts.username}` : 'a read-only EVAL';
  if (s.denied.length) {
    return fail(
      id,
      `user ${facts.username} may not run ${s.denied.join(', ')} (checked with ${how}): every BullMQ operation runs Lua`,
      `grant the commands: ACL SETUSER ${facts.username} +@scripting +bzpopmin (or use a user that has them)`,
    );
  }
  return pass(id, `user ${facts.username} may run EVAL and EVALSHA (checked with ${how})`);
}

/**
 * Redis's rule (cluster.c keyHashSlot): the bytes between the first `{` and the first `}` after
 * it, only when that span is non-empty; `a{}b{c}` is not tagged (its whole name is hashed).
 */
export function hasHashTag(base: string): boolean {
  const open = base.indexOf('{');
  if (open < 0) return false;
  const close = base.indexOf('}', open + 1);
  return close > open + 1;
}

export function checkHashTags(facts: Facts): CheckResult {
  const id = 'bullmq.hashtags';
  if (!forQueues(facts.use)) return skip(id, 'applies to queue use only');
  if (!facts.isCluster) return skip(id, 'not a cluster: hash tags are not needed');
  if (facts.queues === null)
    return skip(id, `queues could not be listed: ${facts.queuesUnavailable ?? 'unknown reason'}`);
  if (facts.queues.length === 0)
    return pass(
      id,
      'no queues yet; on a cluster give each queue a prefix with a {hash tag}, e.g. prefix "{myapp}"',
    );
  const untagged = facts.queues.filter((q) => !hasHashTag(q.base)).map((q) => q.base);
  if (untagged.length) {
    const shown =
      untagged.slice(0, 5).join(', ') + (untagged.length > 5 ? `, and ${untagged.length - 5} more` : '');
    return fail(
      id,
      `${untagged.length} of ${facts.queues.length} queues have no {hash tag}, so their keys spread over slots and BullMQ's scripts fail with CROSSSLOT: ${shown}`,
      'give the queues a prefix with a hash tag, e.g. new Queue(name, { prefix: "{myapp}" })',
    );
  }
  return pass(id, `all ${facts.queues.length} queues use a {hash tag}`);
}
