import { color, symbols } from '../../ui/colors.js';
import { wrapText } from '../../ui/table.js';
import type { DoctorResult } from '../../doctor/run.js';
import type { DoctorJson } from './types.js';
import { plural } from '../../ui/format.js';

/** The documented JSON shape (README "doctor --json"). */
export function toDoctorJson(r: DoctorResult): DoctorJson {
  return {
    target: r.target,
    ...(r.sentinel ? { sentinel: r.sentinel } : {}),
    provider: r.provider,
    server: r.server,
    use: r.use,
    failOn: r.failOn,
    checks: r.checks.map((c) => ({ id: c.id, status: c.status, message: c.message, hint: c.hint })),
    summary: r.summary,
    ok: r.ok,
  };
}

/**
 * `columns`: the terminal's width; messages and hints wrap under their own column so a long
 * one never runs under the check ids. undefined (a pipe, a file): one line per message.
 */
export function renderDoctor(r: DoctorResult, columns?: number): string {
  const c = color();
  const width = Math.max(...r.checks.map((x) => x.id.length), 10);
  const indent = width + 6;
  const wrap = (text: string, first: number): string[] =>
    columns === undefined ? [text] : wrapText(text, Math.max(20, columns - first));
  const lines = [`${c.bold('redis-ops doctor')}  ${r.target}`];
  if (r.sentinel)
    lines.push(
      `${c.dim('sentinel:')} ${r.sentinel.master} → primary ${r.sentinel.primary ?? 'unknown'} ${c.dim(`(${r.sentinel.sentinels.filter((s) => s.ok).length} of ${r.sentinel.sentinels.length} sentinels answer, quorum ${r.sentinel.quorum ?? '?'})`)}`,
    );
  if (r.use) lines.push(`${c.dim('use:')} ${r.use.value} ${c.dim(`(${r.use.reason})`)}`);
  lines.push('');
  for (const check of r.checks) {
    const mark = {
      pass: c.green(symbols.pass),
      warn: c.yellow(symbols.warn),
      fail: c.red(symbols.fail),
      skip: c.dim(symbols.skip),
    }[check.status];
    const paint = (t: string): string => (check.status === 'skip' ? c.dim(t) : t);
    const [first = '', ...rest] = wrap(check.message, indent);
    lines.push(`  ${mark} ${check.id.padEnd(width)}  ${paint(first)}`);
    for (const more of rest) lines.push(`${' '.repeat(indent)}${paint(more)}`);
    if (check.hint && check.status !== 'pass') {
      const [h = '', ...hs] = wrap(check.hint, indent + 6);
      lines.push(`    ${' '.repeat(width)}  ${c.cyan('hint:')} ${h}`);
      for (const more of hs) lines.push(`${' '.repeat(indent + 6)}${more}`);
    }
  }
  const s = r.summary;
  lines.push('');
  const verdict = r.ok ? c.green('healthy') : c.red('unhealthy');
  const gate = r.failOn === 'warn' ? ' (--fail-on warn)' : '';
  lines.push(
    `${verdict}: ${s.pass} passed, ${plural(s.warn, 'warning')}, ${s.fail} failed, ${s.skip} skipped${gate}`,
  );
  return lines.join('\n');
}
