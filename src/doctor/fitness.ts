import { checkHashTags, checkScripting, checkVersion } from './bullmq.js';
import { checkHeadroom, checkRejected, checkSlowlog } from './clients.js';
import { nodeName, type FactUse, type Facts, type UseSource } from './facts.js';
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
import { skip, type CheckResult, type CheckStatus } from './types.js';
import {
  checkClientBuffers,
  checkClusterNodes,
  checkCommands,
  checkErrors,
  checkFork,
  checkLatencyEvents,
  checkMemoryDoctor,
  checkNetwork,
  checkSaveAge,
} from './sre.js';
import { checkWritable } from './writable.js';

const rank: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

/**
 * A check that reads one node's INFO or CONFIG, run on every primary of a cluster: the worst
 * verdict wins and names the node(s) it holds for (one primary with AOF off is a finding).
 */
export function acrossNodes(check: (f: Facts) => CheckResult): (f: Facts) => CheckResult {
  return (facts) => {
    if (facts.nodes.length <= 1) return check(facts);
    const results = facts.nodes.map((info, i) =>
      check({
        ...facts,
        info,
        nodes: [info],
        nodeNames: [nodeName(facts, i)],
        config: facts.configs[i] ?? facts.config,
      }),
    );
    const worst = results.reduce((a, b) => (rank[b.status] > rank[a.status] ? b : a));
    if (results.every((r) => r.status === worst.status && r.message === worst.message))
      return { ...worst, message: `${worst.message} (on all ${results.length} primaries)` };
    const at = results.flatMap((r, i) => (r.status === worst.status ? [nodeName(facts, i)] : []));
    const rest = results.length - at.length;
    return {
      ...worst,
      message: `${at.join(', ')}: ${worst.message}${rest ? ` (the other ${rest} primar${rest > 1 ? 'ies' : 'y'}: not ${worst.status})` : ''}`,
    };
  };
}

/** The fitness catalogue, in the order doctor prints it (after the connection ladder). */
const catalogue: Array<[string, (f: Facts) => CheckResult]> = [
  ['server.writable', checkWritable],
  ['mem.policy', acrossNodes(checkPolicy)],
  ['mem.maxmemory', acrossNodes(checkMaxmemory)],
  ['mem.usage', checkUsage],
  ['mem.oom', checkOom],
  ['mem.evictions', checkEvictions],
  ['mem.fragmentation', acrossNodes(checkFragmentation)],
  ['mem.doctor', checkMemoryDoctor],
  ['persist.status', checkPersistStatus],
  ['persist.queue', acrossNodes(checkPersistQueue)],
  ['persist.age', acrossNodes(checkSaveAge)],
  ['repl.link', checkReplication],
  ['clients.headroom', acrossNodes(checkHeadroom)],
  ['clients.rejected', checkRejected],
  ['clients.buffers', checkClientBuffers],
  ['errors.rate', checkErrors],
  ['cluster.nodes', checkClusterNodes],
  ['sec.auth', checkAuth],
  ['sec.network', acrossNodes(checkNetwork)],
  ['sec.commands', checkCommands],
  ['latency.slowlog', checkSlowlog],
  ['latency.events', checkLatencyEvents],
  ['latency.fork', checkFork],
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
  value: FactUse;
  source: UseSource;
  reason: string;
}

export function describeUse(facts: Facts): UseDecision {
  return { value: facts.use, source: facts.useSource, reason: facts.useReason };
}
