import type { CheckResult } from './types.js';

/**
 * JUnit XML for CI test reports: one testcase per check. `fail` is a <failure>, and so is
 * `warn` when --fail-on warn; `skip` is <skipped>; a tolerated warning goes to <system-out>.
 */
export interface JunitInput {
  target: string;
  checks: CheckResult[];
  failOn: 'warn' | 'fail';
  timeSeconds?: number;
}

export function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all (control characters other than tab, LF, CR).
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export const isFailure = (c: CheckResult, failOn: 'warn' | 'fail'): boolean =>
  c.status === 'fail' || (failOn === 'warn' && c.status === 'warn');

export function renderJunit(input: JunitInput): string {
  const { checks, failOn } = input;
  const failures = checks.filter((c) => isFailure(c, failOn)).length;
  const skipped = checks.filter((c) => c.status === 'skip').length;
  const suite = `redis-ops doctor ${input.target}`;
  const counts = `tests="${checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${(input.timeSeconds ?? 0).toFixed(3)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="redis-ops doctor" ${counts}>`,
    `  <testsuite name="${escapeXml(suite)}" ${counts}>`,
  ];
  for (const c of checks) {
    const area = c.id.split('.')[0] ?? 'doctor';
    const open = `    <testcase classname="doctor.${escapeXml(area)}" name="${escapeXml(c.id)}"`;
    if (isFailure(c, failOn)) {
      const body = c.hint ? `hint: ${c.hint}` : '';
      lines.push(
        `${open}>`,
        `      <failure type="${c.status}" message="${escapeXml(c.message)}">${escapeXml(body)}</failure>`,
        '    </testcase>',
      );
    } else if (c.status === 'skip') {
      lines.push(`${open}>`, `      <skipped message="${escapeXml(c.message)}"/>`, '    </testcase>');
    } else if (c.status === 'warn') {
      lines.push(
        `${open}>`,
        `      <system-out>${escapeXml(`warn: ${c.message}${c.hint ? `\nhint: ${c.hint}` : ''}`)}</system-out>`,
        '    </testcase>',
      );
    } else {
      lines.push(`${open}/>`);
    }
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
