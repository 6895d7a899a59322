import { color } from '../../ui/colors.js';
import { formatBytes, formatCount, formatDuration } from '../../ui/format.js';
import { gridTable } from '../../ui/table.js';
import type { ClientsSectionJson, CommandStatJson, ErrorsSectionJson, StatsSectionsJson } from './types.js';

/** Text for `stats --section`: one block per section asked for, in the order given. Pure. */

/** Microseconds as people read them: 850 µs, 12.3 ms, 4.2 s. */
export function formatMicros(usec: number | null | undefined): string {
  if (usec === null || usec === undefined || !Number.isFinite(usec)) return '-';
  if (usec < 0.05) return '<0.1 µs';
  if (usec < 1000) return `${usec < 10 && !Number.isInteger(usec) ? usec.toFixed(1) : Math.round(usec)} µs`;
  if (usec < 1_000_000) return `${(usec / 1000).toFixed(usec < 100_000 ? 1 : 0)} ms`;
  return `${(usec / 1_000_000).toFixed(1)} s`;
}

type Align = 'left' | 'right';

/**
 * A grid that fits `width`: whole columns are left out, least read first (`drop`: head names in
 * that order), before cells are shortened; a dim line names what was left out (--wide shows all).
 */
function fittedGrid(
  head: string[],
  rows: string[][],
  aligns: Align[],
  drop: string[],
  width?: number,
): string[] {
  let keep = head.map((_, i) => i);
  const natural = (cols: number[]): number =>
    cols.reduce(
      (sum, i) => sum + Math.max(head[i]?.length ?? 0, ...rows.map((r) => [...(r[i] ?? '')].length)) + 3,
      1,
    );
  const dropped: string[] = [];
  for (const name of drop) {
    if (width === undefined || natural(keep) <= width) break;
    const i = head.indexOf(name);
    if (i < 0 || !keep.includes(i)) continue;
    keep = keep.filter((k) => k !== i);
    dropped.push(name);
  }
  const pick = <T>(xs: T[]): T[] => keep.map((i) => xs[i] as T);
  const out = [gridTable(pick(head), rows.map(pick), pick(aligns), width)];
  if (dropped.length > 0)
    out.push(color().dim(`(${dropped.join(', ')} left out to fit the terminal: --wide shows all)`));
  return out;
}

/** Percentile names as the server gave them, in numeric order (p50, p99, p99.9). */
function percentileNames(rows: CommandStatJson[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const p of Object.keys(r.latencyUsec ?? {})) names.add(p);
  return [...names].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

function renderCommands(all: CommandStatJson[], top: number, nodes: number, width?: number): string[] {
  const c = color();
  const rows = all.slice(0, top);
  const title = `${c.bold('commands')} by server time${all.length > rows.length ? ` (top ${rows.length} of ${all.length}; --top for more)` : ''}`;
  if (rows.length === 0) return [title, 'no commands recorded since start-up or the last CONFIG RESETSTAT'];
  const ps = percentileNames(rows);
  const head = ['command', 'calls', 'time', 'per call', ...ps, 'failed', 'rejected'];
  const body = rows.map((r) => [
    r.command,
    formatCount(r.calls),
    formatMicros(r.usec),
    formatMicros(r.usecPerCall),
    ...ps.map((p) => formatMicros(r.latencyUsec?.[p])),
    r.failedCalls === null ? '-' : formatCount(r.failedCalls),
    r.rejectedCalls === null ? '-' : formatCount(r.rejectedCalls),
  ]);
  const aligns: Align[] = ['left', ...head.slice(1).map(() => 'right' as const)];
  // Least read first: refusals, then per call (time / calls), then the high percentiles.
  const drop = ['rejected', 'per call', ...ps.slice(2).reverse(), 'failed', ...ps.slice(1, 2)];
  const out = [title, ...fittedGrid(head, body, aligns, drop, width)];
  if (ps.length === 0)
    out.push(c.dim('no latency percentiles: INFO latencystats needs Redis 7.0+ with latency-tracking yes'));
  else if (nodes > 1) out.push(c.dim('percentiles: the worst primary for each'));
  return out;
}

function renderErrors(e: ErrorsSectionJson, top: number, width?: number): string[] {
  const c = color();
  const title = c.bold('errors');
  if (!e.reported) return [title, 'not reported by this server (INFO errorstats needs Redis 6.2+)'];
  if (e.byType.length === 0) return [title, 'no error replies since start-up or the last CONFIG RESETSTAT'];
  const out = [
    `${title} by type`,
    gridTable(
      ['type', 'count'],
      e.byType.slice(0, top).map((t) => [t.type, formatCount(t.count)]),
      ['left', 'right'],
      width,
    ),
  ];
  if (e.byCommand.length > 0)
    out.push(
      'commands that answered errors',
      gridTable(
        ['command', 'failed', 'rejected'],
        e.byCommand
          .slice(0, top)
          .map((b) => [b.command, formatCount(b.failedCalls), formatCount(b.rejectedCalls)]),
        ['left', 'right', 'right'],
        width,
      ),
    );
  return out;
}

function renderClients(s: ClientsSectionJson, cluster: boolean, width?: number): string[] {
  const c = color();
  const line = [
    `connected ${formatCount(s.connected)}${s.maxclients ? ` / ${formatCount(s.maxclients)} max` : ''}`,
    `blocked ${formatCount(s.blocked)}`,
    ...(s.subscribers === null ? [] : [`subscribers ${formatCount(s.subscribers)}`]),
    `recent max output buffer ${formatBytes(s.recentMaxOutputBuffer)}`,
    `input ${formatBytes(s.recentMaxInputBuffer)}`,
  ].join(' · ');
  const out = [c.bold('clients'), line];
  if (!s.listed) out.push(c.yellow(`no client list: ${s.unlisted ?? 'not read'}`));
  if (s.biggest.length > 0) {
    const head = [
      ...(cluster ? ['node'] : []),
      'client',
      'name',
      'cmd',
      'age',
      'idle',
      'output',
      'replies',
      'total',
    ];
    out.push(
      'biggest output buffers',
      ...fittedGrid(
        head,
        s.biggest.map((b) => [
          ...(cluster ? [b.node] : []),
          b.addr,
          b.name,
          b.cmd,
          formatDuration(b.ageSeconds),
          formatDuration(b.idleSeconds),
          formatBytes(b.outputBytes),
          formatCount(b.outputReplies),
          formatBytes(b.totalBytes),
        ]),
        [
          ...(cluster ? ['left' as const] : []),
          'left',
          'left',
          'left',
          'right',
          'right',
          'right',
          'right',
          'right',
        ],
        ['replies', 'idle', 'name', 'total', 'age'],
        width,
      ),
    );
  }
  return out;
}

export function renderSections(s: StatsSectionsJson, top: number, width?: number): string {
  const out: string[] = [];
  const cluster = s.nodes.length > 1;
  for (const name of s.names) {
    out.push('');
    if (name === 'commands' && s.commands)
      out.push(...renderCommands(s.commands, top, s.nodes.length, width));
    if (name === 'errors' && s.errors) out.push(...renderErrors(s.errors, top, width));
    if (name === 'clients' && s.clients) out.push(...renderClients(s.clients, cluster, width));
  }
  return out.join('\n');
}
