import { describe, expect, it } from 'vitest';
import { parseDoctorFlags } from '../../src/commands/doctor/options.js';
import { CliError } from '../../src/errors.js';

describe('doctor flags → settings', () => {
  const table: Array<[object, object]> = [
    [{}, { waitSeconds: 0, format: 'text', gate: {} }],
    [{ json: true }, { format: 'json' }],
    [
      { format: 'junit', failOn: 'warn', use: 'queue', wait: '30' },
      { format: 'junit', failOn: 'warn', use: 'queue', waitSeconds: 30 },
    ],
    [
      { minHitRatio: '0.8', maxMemoryPct: '90', maxFailedJobs: '0', maxWaitingAge: '300' },
      { gate: { minHitRatio: 0.8, maxMemoryPct: 90, maxFailedJobs: 0, maxWaitingAge: 300 } },
    ],
    [{ queues: ' email, app:reports ' }, { queues: ['email', 'app:reports'] }],
  ];
  it.each(table)('%o', (flags, expected) => {
    expect(parseDoctorFlags(flags)).toMatchObject(expected);
  });
  const bad: Array<[object, RegExp]> = [
    [{ use: 'db' }, /invalid --use: db/],
    [{ queues: ' , ' }, /--queues needs at least one queue name/],
    [{ failOn: 'skip' }, /invalid --fail-on/],
    [{ json: true, format: 'junit' }, /--json conflicts with --format junit/],
    [{ target: 'prod', url: 'redis://x' }, /--target conflicts with --url/],
    [{ minHitRatio: '1.5' }, /invalid --min-hit-ratio: 1.5/],
    [{ maxFailedJobs: '2.5' }, /invalid --max-failed-jobs/],
    [{ wait: 'soon' }, /invalid --wait: soon/],
  ];
  it.each(bad)('%o is a usage error', (flags, message) => {
    expect(() => parseDoctorFlags(flags)).toThrow(message);
    try {
      parseDoctorFlags(flags);
    } catch (err) {
      expect((err as CliError).exitCode).toBe(2);
    }
  });
});
