import { describe, expect, it } from 'vitest';
import { expandEnv, parseConfig, targetUrl } from '../../src/doctor/config-file.js';
import { CliError } from '../../src/errors.js';

const parse = (text: string) => parseConfig(text, '/p/redis-ops.yaml');
const errorOf = (fn: () => unknown): CliError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('no error');
};

describe('redis-ops.yaml', () => {
  it('reads use, failOn, gate thresholds and targets', () => {
    const c = parse(
      [
        'use: queue',
        'failOn: warn',
        'gate:',
        '  minHitRatio: 0.8',
        '  maxMemoryPct: 90',
        '  maxFailedJobs: 10',
        '  maxWaitingAgeSeconds: 300',
        'targets:',
        '  prod:',
        '    url: ${PROD_REDIS_URL}',
        '',
      ].join('\n'),
    );
    expect(c.use).toBe('queue');
    expect(c.failOn).toBe('warn');
    expect(c.gate).toEqual({
      minHitRatio: 0.8,
      maxMemoryPct: 90,
      maxFailedJobs: 10,
      maxWaitingAge: 300, // the old key name still reads
    });
    expect(c.targets.prod).toEqual({ url: '${PROD_REDIS_URL}', line: 10 });
  });
  it('maxWaitingAge takes a duration; queues: names the queues the gates cover', () => {
    const c = parse(['gate:', '  maxWaitingAge: 5m', 'queues: [email, "app:reports"]', ''].join('\n'));
    expect(c.gate).toEqual({ maxWaitingAge: 300 });
    expect(c.queues).toEqual(['email', 'app:reports']);
    expect(errorOf(() => parse('queues: email\n')).message).toMatch(
      /line 1: queues must be a list of queue names/,
    );
    expect(errorOf(() => parse('gate:\n  maxWaitingAge: soon\n')).message).toMatch(
      /line 2: gate.maxWaitingAge must be a duration/,
    );
  });
  it('an empty file is an empty config', () => {
    expect(parse('')).toEqual({ path: '/p/redis-ops.yaml', gate: {}, targets: {} });
  });
  it('malformed YAML is a usage error naming the line', () => {
    const e = errorOf(() => parse('gate:\n  maxMemoryPct: 90\n bad: [1, 2\n'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('redis-ops.yaml line 3: All mapping items must start at the same column');
  });
  it('wrong types and unknown keys name their line', () => {
    expect(errorOf(() => parse('gate:\n  maxMemoryPct: lots\n')).message).toBe(
      'redis-ops.yaml line 2: gate.maxMemoryPct must be a number ≥ 0',
    );
    expect(errorOf(() => parse('use: cache\ngaet:\n  x: 1\n')).message).toBe(
      'redis-ops.yaml line 2: unknown key "gaet"',
    );
    expect(errorOf(() => parse('gate:\n  maxMemory: 1\n')).message).toBe(
      'redis-ops.yaml line 2: unknown gate threshold "maxMemory"',
    );
    expect(errorOf(() => parse('use: everything\n')).message).toBe(
      'redis-ops.yaml line 1: use must be cache, queue or both, not everything',
    );
    expect(errorOf(() => parse('targets:\n  prod: {}\n')).message).toBe(
      'redis-ops.yaml line 2: target "prod" needs a url',
    );
    expect(errorOf(() => parse('gate:\n  minHitRatio: 5\n')).message).toMatch(
      /line 2: gate.minHitRatio is a ratio/,
    );
  });
  it('expands ${VAR} and ${VAR:-default}; an unset variable is a usage error', () => {
    expect(expandEnv('redis://${H}:${P:-6379}', { H: 'db' }, 'x')).toBe('redis://db:6379');
    expect(errorOf(() => expandEnv('${NOPE}', {}, 'redis-ops.yaml line 4')).message).toBe(
      'redis-ops.yaml line 4: NOPE is not set',
    );
  });
  it('--target picks a target, unknown names list the known ones', () => {
    const c = parse(
      'targets:\n  prod:\n    url: ${PROD_REDIS_URL}\n  dev: { url: "redis://localhost:6380" }\n',
    );
    expect(targetUrl(c, 'prod', { PROD_REDIS_URL: 'redis://p:1' })).toBe('redis://p:1');
    expect(errorOf(() => targetUrl(c, 'prod', {})).message).toBe(
      'redis-ops.yaml line 3: PROD_REDIS_URL is not set',
    );
    const e = errorOf(() => targetUrl(c, 'staging', {}));
    expect(e.hint).toBe('known targets: prod, dev');
  });
});
