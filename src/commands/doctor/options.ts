import { usageError } from '../../errors.js';
import { uses, type Use } from '../../doctor/facts.js';
import type { GateThresholds } from '../../doctor/gate.js';
import type { DoctorFlags, DoctorSettings, Format } from './types.js';

function number(
  flag: string,
  raw: string | undefined,
  opts: { max?: number; integer?: boolean } = {},
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    n < 0 ||
    (opts.max !== undefined && n > opts.max) ||
    (opts.integer && !Number.isInteger(n))
  ) {
    const range =
      opts.max !== undefined ? `from 0 to ${opts.max}` : opts.integer ? 'a whole number ≥ 0' : 'a number ≥ 0';
    throw usageError(`invalid ${flag}: ${raw}`, `give ${range}`);
  }
  return n;
}

export function parseDoctorFlags(flags: DoctorFlags): DoctorSettings {
  if (flags.use !== undefined && !uses.includes(flags.use as Use))
    throw usageError(`invalid --use: ${flags.use}`, 'use one of: cache, queue, both');
  if (flags.failOn !== undefined && flags.failOn !== 'warn' && flags.failOn !== 'fail')
    throw usageError(`invalid --fail-on: ${flags.failOn}`, 'use --fail-on warn or --fail-on fail');
  if (flags.format !== undefined && !['text', 'json', 'junit'].includes(flags.format))
    throw usageError(`invalid --format: ${flags.format}`, 'use one of: text, json, junit');
  if (flags.json && flags.format !== undefined && flags.format !== 'json')
    throw usageError(`--json conflicts with --format ${flags.format}`, 'give one of them');
  if (flags.target !== undefined && flags.url !== undefined)
    throw usageError(
      '--target conflicts with --url',
      'give one of them: --target picks a URL from redis-ops.yaml',
    );
  const gate: GateThresholds = {};
  const set = <K extends keyof GateThresholds>(k: K, v: number | undefined): void => {
    if (v !== undefined) gate[k] = v;
  };
  set('minHitRatio', number('--min-hit-ratio', flags.minHitRatio, { max: 1 }));
  set('maxMemoryPct', number('--max-memory-pct', flags.maxMemoryPct, { max: 100 }));
  set('maxFailedJobs', number('--max-failed-jobs', flags.maxFailedJobs, { integer: true }));
  set('maxWaitingAgeSeconds', number('--max-waiting-age', flags.maxWaitingAge));
  return {
    use: flags.use as Use | undefined,
    failOn: flags.failOn,
    waitSeconds: number('--wait', flags.wait, { max: 3600 }) ?? 0,
    format: flags.json ? 'json' : ((flags.format as Format | undefined) ?? 'text'),
    gate,
  };
}
