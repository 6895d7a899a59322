import { color, symbols } from '../../ui/colors.js';
import { formatCount, plural } from '../../ui/format.js';
import type { FlushJson, FlushResult, ProgressState } from './types.js';

/** The documented JSON shape (README "flush --json"). */
export function toFlushJson(r: FlushResult): FlushJson {
  return {
    target: r.target,
    prefixes: r.prefixes,
    // One pattern in the common case; null when several prefixes gave several (see patterns).
    pattern: r.patterns.length === 1 ? (r.patterns[0] ?? null) : null,
    patterns: r.patterns,
    type: r.type,
    dryRun: r.dryRun,
    status: r.status,
    matched: r.matched,
    deleted: r.deleted,
    nodes: r.nodes.length,
    perNode: r.nodes.map((n) => ({ node: n.node, matched: n.matched, deleted: n.deleted })),
    durationMs: r.durationMs,
    sample: r.sample,
    queues: r.queues,
    maxKeys: r.maxKeys,
    error: r.error,
    hint: r.hint,
    command: r.command,
    passes: r.passes,
    kept: r.kept,
    streamed: r.streamed,
  };
}

const num = formatCount;
const seconds = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** What would be deleted: shown for --dry-run and before the typed confirmation. */
export function renderSurvey(r: FlushResult): string {
  const c = color();
  const lines = [
    `${c.bold(plural(r.matched, 'key'))} ${r.matched === 1 ? 'matches' : 'match'} ${r.patterns.join(', ')}${r.type ? ` (type ${r.type})` : ''} on ${plural(r.nodes.length, 'node')} of ${r.target}`,
  ];
  if (r.nodes.length > 1)
    for (const n of r.nodes) lines.push(`  ${n.node.padEnd(22)} ${num(n.matched).padStart(12)}`);
  if (r.sample.length > 0) {
    lines.push(`sample (${r.sample.length}):`);
    for (const key of r.sample) lines.push(`  ${key}`);
  }
  if (r.queues.length > 0)
    lines.push(
      c.yellow(
        `${symbols.warn} these reach BullMQ queues: ${r.queues.join(', ')} (refused without --include-queues)`,
      ),
    );
  return lines.join('\n');
}

export function renderFlush(r: FlushResult): string {
  const c = color();
  if (r.status === 'dry-run') return `${renderSurvey(r)}\n${c.dim('dry run: nothing was deleted')}`;
  if (r.status === 'max-keys') {
    return `${c.red(symbols.fail)} more than ${plural(r.maxKeys ?? 0, 'key')} match ${r.patterns.join(', ')} (--max-keys): nothing was deleted`;
  }
  const lines: string[] = [];
  const took = `in ${seconds(r.durationMs)}`;
  if (r.status === 'done') {
    lines.push(
      `${c.green(symbols.pass)} deleted ${plural(r.deleted, 'key')} matching ${r.patterns.join(', ')} on ${plural(r.nodes.length, 'node')} ${took}`,
    );
  } else if (r.status === 'kept-queues') {
    lines.push(
      `${c.yellow(symbols.warn)} deleted ${plural(r.deleted, 'key')} matching ${r.patterns.join(', ')} ${took}; kept ${plural(r.kept, 'key')} of BullMQ queues ${r.queues.join(', ')}`,
    );
  } else {
    const why =
      r.status === 'interrupted'
        ? 'interrupted'
        : r.status === 'connection-lost'
          ? `connection lost (${r.error ?? 'unknown error'})`
          : (r.error ?? 'stopped');
    // Only an interruption or a lost connection is finished by running again (see failure.ts).
    const again = r.status === 'failed' ? '' : '; run the same command again to finish';
    lines.push(
      `${c.yellow(symbols.warn)} ${why}: deleted ${num(r.deleted)} of ${plural(r.matched, 'matching key')} ${took}${again}`,
    );
  }
  if (r.nodes.length > 1)
    for (const n of r.nodes)
      lines.push(`  ${n.node.padEnd(22)} ${num(n.deleted).padStart(12)} of ${num(n.matched)}`);
  if (r.command === 'DEL' && r.deleted > 0)
    lines.push(c.dim('  UNLINK is not available here (renamed or denied): deleted with DEL'));
  if (r.deleted > r.matched && r.status === 'done')
    lines.push(c.dim(`  ${num(r.deleted - r.matched)} keys were written after counting and deleted too`));
  if (r.deleted < r.matched && r.status === 'done')
    lines.push(
      c.dim(`  ${num(r.matched - r.deleted)} matched keys were already gone (expired or deleted meanwhile)`),
    );
  return lines.join('\n');
}

export function progressLine(s: ProgressState): string {
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const elapsed = Math.max(1, s.nowMs - s.startedMs) / 1000;
  const counts = s.phase === 'counting' ? s.scanned : s.deleted;
  const total = sum(counts);
  const head =
    s.phase === 'counting'
      ? `counting: ${num(total)} keys match`
      : s.phase === 'streaming'
        ? `deleting as scanned: ${num(total)} keys`
        : `deleting: ${num(total)} of ${num(sum(s.scanned))}`;
  const perNode =
    s.labels.length > 1 ? ` · ${s.labels.map((l, i) => `${l} ${num(counts[i] ?? 0)}`).join(' · ')}` : '';
  return `${head} · ${num(Math.round(total / elapsed))} keys/s${perNode}`;
}
