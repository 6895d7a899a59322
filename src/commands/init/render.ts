import type { DoctorResult } from '../../doctor/run.js';
import { renderDoctor, toDoctorJson } from '../doctor/render.js';
import { color, symbols } from '../../ui/colors.js';
import type { InitJson, InitResult } from './types.js';
import { plural } from '../../ui/format.js';

/** The documented JSON shape (README "init --json"). Diffs only on --dry-run; secrets masked. */
export function toInitJson(r: InitResult): InitJson {
  return {
    dir: r.dir,
    dryRun: r.dryRun,
    provider: r.provider,
    use: r.use,
    profile: r.profile,
    image: r.image,
    services: r.services,
    files: r.files.map((f) => ({
      path: f.path,
      action: f.action,
      summary: f.summary,
      ...(f.reasons ? { reasons: f.reasons } : {}),
      ...(r.dryRun ? { diff: f.diff } : {}),
    })),
    changed: r.changed,
    notes: r.notes,
    adopted: r.adopted,
    wired: r.wired,
    up: r.up && {
      method: r.up.method,
      ok: r.up.ok,
      message: r.up.message,
      services: r.up.services,
      doctor: r.up.doctor.map((d: DoctorResult) => toDoctorJson(d)),
    },
  };
}

const marks = { create: '+', update: '~', unchanged: '=' } as const;

export function renderInit(r: InitResult): string {
  const c = color();
  const lines = [`${c.bold('redis-ops init')}  ${r.dir}  (${r.provider}, ${r.use}, ${r.profile})`, ''];
  if (r.dryRun) {
    const diffs = r.files.filter((f) => f.diff);
    for (const f of diffs) {
      lines.push((f.diff ?? '').replace(/\n$/, ''));
      // What each change is for, next to the diff.
      for (const why of f.reasons ?? []) lines.push(c.dim(`  # ${why}`));
      lines.push('');
    }
    lines.push(
      diffs.length
        ? `dry run: nothing written (${plural(diffs.length, 'file')} would change)`
        : 'dry run: nothing would change',
    );
    return lines.join('\n');
  }
  if (!r.changed) {
    lines.push(
      `${c.green(symbols.pass)} nothing changed: ${r.files.map((f) => f.path).join(', ')} already up to date`,
    );
  } else {
    const width = Math.max(...r.files.map((f) => f.path.length));
    for (const f of r.files) {
      const mark = f.action === 'unchanged' ? c.dim(marks[f.action]) : c.green(marks[f.action]);
      lines.push(
        `  ${mark} ${f.path.padEnd(width)}  ${f.action === 'unchanged' ? c.dim('unchanged') : f.summary}`,
      );
    }
  }
  if (r.services.length > 0) {
    lines.push('');
    for (const s of r.services)
      lines.push(`  ${s.name} (${s.role})  ${s.url}  ${c.dim(`${s.urlVar} in ${r.envFile}`)}`);
  }
  if (r.wired.length > 0) {
    lines.push('');
    for (const w of r.wired)
      lines.push(
        `  ${w.service} gets ${Object.entries(w.vars)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      );
  }
  if (r.notes.length > 0) {
    lines.push('');
    for (const n of r.notes) lines.push(`  ${c.cyan(symbols.info)} ${n}`);
  }
  if (r.up) {
    lines.push(
      '',
      `${r.up.ok ? c.green(symbols.pass) : c.red(symbols.fail)} up (${r.up.method}): ${r.up.message}`,
    );
    for (const d of r.up.doctor) lines.push('', renderDoctor(d));
  } else if (r.services.length > 0) {
    lines.push(
      '',
      `next: docker compose up -d ${r.services.map((s) => s.name).join(' ')}   then: npx redis-ops doctor`,
    );
  }
  return lines.join('\n');
}
