import { usageError } from '../../errors.js';
import { uses } from '../../doctor/facts.js';
import type { GateThresholds } from '../../doctor/gate.js';
import { parseChoice, parseDuration, parseInteger, parseNumber } from '../../options.js';
import type { DoctorFlags, DoctorSettings } from './types.js';

export function parseDoctorFlags(flags: DoctorFlags): DoctorSettings {
  const use = parseChoice(flags.use, '--use', uses);
  const failOn = parseChoice(flags.failOn, '--fail-on', ['warn', 'fail'] as const);
  const format = parseChoice(flags.format, '--format', ['text', 'json', 'junit'] as const);
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
  set('minHitRatio', parseNumber(flags.minHitRatio, '--min-hit-ratio', 1));
  set('maxMemoryPct', parseNumber(flags.maxMemoryPct, '--max-memory-pct', 100));
  set('maxFailedJobs', parseInteger(flags.maxFailedJobs, '--max-failed-jobs'));
  if (flags.maxWaitingAge !== undefined)
    set(
      'maxWaitingAge',
      parseDuration(flags.maxWaitingAge, '--max-waiting-age', { bare: 's', min: 0 }) / 1000,
    );
  const queues = flags.queues
    ?.split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  if (flags.queues !== undefined && !queues?.length)
    throw usageError(
      '--queues needs at least one queue name',
      'e.g. --queues email,reports (or prefix:name)',
    );
  const waitMs =
    flags.wait === undefined ? 0 : parseDuration(flags.wait, '--wait', { bare: 's', min: 0, max: 3_600_000 });
  return {
    use,
    failOn,
    waitSeconds: waitMs / 1000,
    format: flags.json ? 'json' : (format ?? 'text'),
    gate,
    queues,
    forkWarnMs:
      flags.maxFork === undefined
        ? undefined
        : parseDuration(flags.maxFork, '--max-fork', { bare: 'ms', min: 0 }),
  };
}
