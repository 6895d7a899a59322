import { infoNumber, type InfoRecord } from '../redis/info.js';
import { forQueues, nodeName, type Facts } from './facts.js';
import { fail, pass, warn, type CheckResult } from './types.js';

/**
 * server.writable: can the app write here at all? Read from INFO (and CONFIG where it answers)
 * only, never by trying a write. A replica with replica-read-only answers READONLY to every
 * write (BullMQ's Queue.add included); min-replicas-to-write with too few good replicas answers
 * NOREPLICAS (redis.conf `min-replicas-to-write`; Redis's tests/integration/replication-2.tcl).
 */
function readOnlyReplica(info: InfoRecord, facts: Facts): boolean {
  if (info.role !== 'slave') return false;
  // INFO says slave_read_only; CONFIG replica-read-only is the same setting (yes by default).
  const flag = info.slave_read_only ?? (facts.config.values['replica-read-only'] === 'no' ? '0' : '1');
  return flag !== '0';
}

export function checkWritable(facts: Facts): CheckResult {
  const id = 'server.writable';
  const problems: Array<{ fatal: boolean; text: string; hint: string }> = [];
  const minConfigured = Number(facts.config.values['min-replicas-to-write'] ?? NaN);
  facts.nodes.forEach((info, i) => {
    const where = facts.nodes.length > 1 ? ` (${nodeName(facts, i)})` : '';
    if (readOnlyReplica(info, facts)) {
      const primary =
        info.master_host !== undefined ? `${info.master_host}:${info.master_port ?? '6379'}` : 'unknown';
      const queues = forQueues(facts.use);
      problems.push({
        fatal: queues,
        text: `this is a read-only replica${where} of ${primary}: every write answers READONLY${queues ? ' (BullMQ cannot add or process jobs)' : ' (cache writes fail)'}`,
        hint: `connect to the primary ${primary} (or the provider's primary endpoint) for writes; readers may use the replica`,
      });
    }
    const good = infoNumber(info, 'min_slaves_good_slaves');
    if (good !== undefined && info.role !== 'slave') {
      const need = Number.isFinite(minConfigured) && minConfigured > 0 ? minConfigured : undefined;
      if (need === undefined ? good === 0 : good < need)
        problems.push({
          fatal: true,
          text: `min-replicas-to-write ${need ?? '≥ 1'} but ${good} good replica(s)${where}: every write answers NOREPLICAS`,
          hint: 'bring the replicas back (check their link and lag against min-replicas-max-lag), or lower min-replicas-to-write',
        });
    }
  });
  if (problems.length === 0) {
    const min =
      Number.isFinite(minConfigured) && minConfigured > 0
        ? `, min-replicas-to-write ${minConfigured} met`
        : '';
    return pass(id, `the server accepts writes (a primary${min})`);
  }
  const text = problems.map((p) => p.text).join('; ');
  const hint = [...new Set(problems.map((p) => p.hint))].join('; ');
  return problems.some((p) => p.fatal) ? fail(id, text, hint) : warn(id, text, hint);
}
