import type { JobCounts } from '../../queues/counts.js';
import { color, symbols } from '../../ui/colors.js';
import type { DrainJson, WipeResult } from './types.js';

const sum = (c: Partial<JobCounts>): number => Object.values(c).reduce((a, b) => a + (b ?? 0), 0);

export function toDrainJson(r: WipeResult): DrainJson {
  return {
    target: r.target,
    queue: { prefix: r.queue.prefix, name: r.queue.name, key: r.queue.base },
    action: r.action,
    dryRun: r.dryRun,
    delayed: r.delayed,
    force: r.force,
    workers: r.workers,
    active: r.held,
    before: r.before,
    toGo: r.toGo,
    planned: sum(r.toGo),
    went: r.went,
    gone: r.went ? sum(r.went) : null,
    after: r.after,
  };
}

export function renderWipe(r: WipeResult): string {
  const c = color();
  if (r.dryRun) return `${c.cyan(symbols.info)} dry run: ${r.plan}; nothing changed`;
  const went = r.went ?? {};
  const parts = Object.entries(went)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([s, n]) => `${(n ?? 0).toLocaleString('en-US')} ${s}`);
  const n = sum(went);
  const verb = r.action === 'drain' ? 'drained' : 'obliterated';
  const lines = [
    `${c.green(symbols.pass)} ${verb} ${r.queue.base}: ${n.toLocaleString('en-US')} job${n === 1 ? '' : 's'} deleted${parts.length ? ` (${parts.join(', ')})` : ''}`,
  ];
  if (n !== sum(r.toGo))
    lines.push(
      `  the plan counted ${sum(r.toGo).toLocaleString('en-US')}: jobs were added or taken by workers in between`,
    );
  return lines.join('\n');
}
