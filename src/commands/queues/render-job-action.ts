import { pastTense } from '../../queues/job-actions.js';
import { color, symbols } from '../../ui/colors.js';
import type { JobActionJson, JobActionResult, JobsActionJson, JobsActionResult } from './types.js';

/** Results of job-level actions: one job (`queues job ... <action>`) and a filtered set (`queues jobs ... <action>`). */

const queueRef = (q: JobActionResult['queue']): JobActionJson['queue'] => ({
  prefix: q.prefix,
  name: q.name,
  key: q.base,
});

export function toJobActionJson(r: JobActionResult): JobActionJson {
  return {
    target: r.target,
    queue: queueRef(r.queue),
    id: r.id,
    action: r.action,
    dryRun: r.dryRun,
    stateBefore: r.stateBefore,
    stateAfter: r.stateAfter,
    reason: r.reason,
    plan: r.plan,
  };
}

export function renderJobAction(r: JobActionResult): string {
  const c = color();
  if (r.dryRun) return `${c.cyan(symbols.info)} dry run: ${r.plan}; nothing changed`;
  return `${c.green(symbols.pass)} ${r.done}`;
}

export function toJobsActionJson(r: JobsActionResult): JobsActionJson {
  return {
    target: r.target,
    queue: queueRef(r.queue),
    action: r.action,
    dryRun: r.dryRun,
    states: r.states,
    examined: r.examined,
    budgetHit: r.budgetHit,
    limitHit: r.limitHit,
    matched: r.planned.length,
    ids: r.planned.map((p) => p.id),
    changed: r.dryRun ? null : r.changed.length,
    skipped: r.skipped,
    reason: r.reason,
  };
}

export function renderJobsAction(r: JobsActionResult): string {
  const c = color();
  if (r.planned.length === 0) return `${c.green(symbols.pass)} nothing to do: ${r.plan}`;
  if (r.dryRun) return `${c.cyan(symbols.info)} dry run: ${r.plan}; nothing changed`;
  const n = r.planned.length;
  const lines = [
    `${c.green(symbols.pass)} ${pastTense[r.action]} ${r.changed.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} job${n === 1 ? '' : 's'} in ${r.queue.base}${r.skipped.length ? `; ${r.skipped.length} skipped (changed since the preview)` : ''}`,
  ];
  for (const s of r.skipped.slice(0, 20)) lines.push(`  ${symbols.warn} skipped job ${s.id}: ${s.why}`);
  if (r.skipped.length > 20)
    lines.push(`  ... and ${r.skipped.length - 20} more skipped (--json lists them)`);
  if (r.budgetHit) lines.push('the search stopped at --scan-limit: run again for jobs beyond it');
  return lines.join('\n');
}
