import { checkHashTags, checkScripting, checkVersion } from './bullmq.js';
import { checkHeadroom, checkRejected, checkSlowlog } from './clients.js';
import type { FactUse, Facts, UseSource } from './facts.js';
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
import { checkWritable } from './writable.js';

/** The fitness catalogue, in the order doctor prints it (after the connection ladder). */
const catalogue: Array<[string, (f: Facts) => CheckResult]> = [
  ['server.writable', checkWritable],
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
  value: FactUse;
  source: UseSource;
  reason: string;
}

export function describeUse(facts: Facts): UseDecision {
  return { value: facts.use, source: facts.useSource, reason: facts.useReason };
}
