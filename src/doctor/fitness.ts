import { checkHashTags, checkScripting, checkVersion } from './bullmq.js';
import { checkHeadroom, checkRejected, checkSlowlog } from './clients.js';
import type { Facts, Use } from './facts.js';
import { checkKeysTtl } from './keys-ttl.js';
import {
  checkEvictions,
  checkFragmentation,
  checkMaxmemory,
  checkOom,
  checkPolicy,
  checkUsage,
} from './memory.js';
import { checkPersistQueue, checkPersistStatus, checkReplication } from './persistence.js';
import { checkAuth, checkProviderFit } from './security.js';
import { skip, type CheckResult } from './types.js';

/** The fitness catalogue, in the order doctor prints it (after the connection ladder). */
const catalogue: Array<[string, (f: Facts) => CheckResult]> = [
  ['mem.policy', checkPolicy],
  ['mem.maxmemory', checkMaxmemory],
  ['mem.usage', checkUsage],
  ['mem.oom', checkOom],
  ['mem.evictions', checkEvictions],
  ['mem.fragmentation', checkFragmentation],
  ['persist.status', checkPersistStatus],
  ['persist.queue', checkPersistQueue],
  ['repl.link', checkReplication],
  ['clients.headroom', checkHeadroom],
  ['clients.rejected', checkRejected],
  ['sec.auth', checkAuth],
  ['latency.slowlog', checkSlowlog],
  ['bullmq.version', checkVersion],
  ['bullmq.scripting', checkScripting],
  ['bullmq.hashtags', checkHashTags],
  ['provider.fit', checkProviderFit],
  ['keys.ttl', checkKeysTtl],
];

export const fitnessIds: readonly string[] = catalogue.map(([id]) => id);

export function runFitness(facts: Facts): CheckResult[] {
  return catalogue.map(([, check]) => check(facts));
}

/** When the ladder did not reach the server, every fitness check is skipped with the reason. */
export function skipFitness(why: string): CheckResult[] {
  return fitnessIds.map((id) => skip(id, why));
}

export interface UseDecision {
  value: Use;
  source: 'flag' | 'config' | 'inferred';
  reason: string;
}

export function describeUse(facts: Facts): UseDecision {
  if (facts.useSource === 'flag') return { value: facts.use, source: 'flag', reason: `--use ${facts.use}` };
  if (facts.useSource === 'config')
    return { value: facts.use, source: 'config', reason: `use: ${facts.use} in redis-ops.yaml` };
  if (facts.queues === null)
    return {
      value: facts.use,
      source: 'inferred',
      reason: `inferred ${facts.use}: queues could not be listed (${facts.queuesUnavailable ?? 'unknown'})`,
    };
  const n = facts.queues.length;
  return {
    value: facts.use,
    source: 'inferred',
    reason: n
      ? `inferred queue: ${n} BullMQ queue${n > 1 ? 's' : ''} found (pass --use to override)`
      : 'inferred cache: no BullMQ queues found (pass --use to override)',
  };
}
