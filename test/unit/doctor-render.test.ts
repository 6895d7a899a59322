import { describe, expect, it } from 'vitest';
import type { DoctorResult } from '../../src/doctor/run.js';
import { renderDoctor, toDoctorJson } from '../../src/commands/doctor/render.js';
import { fail, pass, summarize, warn } from '../../src/doctor/types.js';

const checks = [
  pass('conn.tcp', 'open'),
  warn('mem.maxmemory', 'not set', 'set it'),
  fail('mem.policy', 'allkeys-lru', 'set noeviction'),
];
const result: DoctorResult = {
  target: 'redis://127.0.0.1:6379',
  provider: 'local',
  server: { engine: 'redis', version: '7.0.15', mode: 'standalone', role: 'master' },
  use: {
    value: 'queue',
    source: 'inferred',
    reason: 'inferred queue: 1 BullMQ queue found (pass --use to override)',
  },
  failOn: 'fail',
  checks,
  summary: summarize(checks),
  ok: false,
};

describe('doctor renderers', () => {
  it('JSON carries use, failOn, checks, summary and ok', () => {
    expect(toDoctorJson(result)).toEqual({
      target: 'redis://127.0.0.1:6379',
      provider: 'local',
      server: result.server,
      use: result.use,
      failOn: 'fail',
      checks: checks.map((c) => ({ id: c.id, status: c.status, message: c.message, hint: c.hint })),
      summary: { pass: 1, warn: 1, fail: 1, skip: 0 },
      ok: false,
    });
  });
  it('text shows the use, each check with its hint, and the verdict', () => {
    const text = renderDoctor(result);
    expect(text.split('\n')).toEqual([
      'redis-ops doctor  redis://127.0.0.1:6379',
      'use: queue (inferred queue: 1 BullMQ queue found (pass --use to override))',
      '',
      '  ✔ conn.tcp       open',
      '  ⚠ mem.maxmemory  not set',
      '                   hint: set it',
      '  ✖ mem.policy     allkeys-lru',
      '                   hint: set noeviction',
      '',
      'unhealthy: 1 passed, 1 warning, 1 failed, 0 skipped',
    ]);
    expect(renderDoctor({ ...result, failOn: 'warn' })).toMatch(/0 skipped \(--fail-on warn\)$/);
  });
});
