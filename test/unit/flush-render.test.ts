import { describe, expect, it } from 'vitest';
import { progressLine, renderFlush, renderSurvey, toFlushJson } from '../../src/commands/flush/render.js';
import type { FlushResult } from '../../src/commands/flush/types.js';

const base: FlushResult = {
  target: 'redis://127.0.0.1:6379',
  prefixes: ['cache:page:[v1]:'],
  patterns: ['cache:page:\\[v1\\]:*'],
  type: null,
  dryRun: false,
  status: 'done',
  matched: 200000,
  deleted: 200000,
  nodes: [{ node: '127.0.0.1:6379', matched: 200000, deleted: 200000 }],
  durationMs: 812,
  sample: ['cache:page:[v1]:1', 'cache:page:[v1]:\\xff\\x0a'],
  queues: [],
  maxKeys: null,
  error: null,
  hint: null,
  command: 'UNLINK',
  passes: 0,
  kept: 0,
  streamed: true,
};

const cluster: FlushResult = {
  ...base,
  nodes: [
    { node: '127.0.0.1:7000', matched: 70000, deleted: 70000 },
    { node: '127.0.0.1:7001', matched: 65000, deleted: 60000 },
    { node: '127.0.0.1:7002', matched: 65000, deleted: 65000 },
  ],
  deleted: 195000,
};

describe('toFlushJson', () => {
  it('has the documented shape', () => {
    expect(toFlushJson(base)).toEqual({
      target: 'redis://127.0.0.1:6379',
      prefixes: ['cache:page:[v1]:'],
      pattern: 'cache:page:\\[v1\\]:*',
      patterns: ['cache:page:\\[v1\\]:*'],
      type: null,
      dryRun: false,
      status: 'done',
      matched: 200000,
      deleted: 200000,
      nodes: 1,
      perNode: [{ node: '127.0.0.1:6379', matched: 200000, deleted: 200000 }],
      durationMs: 812,
      sample: ['cache:page:[v1]:1', 'cache:page:[v1]:\\xff\\x0a'],
      queues: [],
      maxKeys: null,
      error: null,
      hint: null,
      command: 'UNLINK',
      passes: 0,
      kept: 0,
      streamed: true,
    });
  });

  it('has pattern null when several prefixes gave several patterns', () => {
    const json = toFlushJson({ ...base, prefixes: ['a:', 'b:'], patterns: ['a:*', 'b:*'] }) as {
      pattern: unknown;
      patterns: unknown;
    };
    expect(json.pattern).toBeNull();
    expect(json.patterns).toEqual(['a:*', 'b:*']);
  });
});

describe('renderFlush', () => {
  it('a finished flush on one node', () => {
    expect(renderFlush(base)).toBe(
      '✔ deleted 200,000 keys matching cache:page:\\[v1\\]:* on 1 node in 812 ms',
    );
  });

  it('a cluster flush lists nodes and keys already gone', () => {
    expect(renderFlush(cluster).split('\n')).toEqual([
      '✔ deleted 195,000 keys matching cache:page:\\[v1\\]:* on 3 nodes in 812 ms',
      '  127.0.0.1:7000               70,000 of 70,000',
      '  127.0.0.1:7001               60,000 of 65,000',
      '  127.0.0.1:7002               65,000 of 65,000',
      '  5,000 matched keys were already gone (expired or deleted meanwhile)',
    ]);
  });

  it('a dry run shows count, sample and says nothing was deleted', () => {
    const out = renderFlush({ ...base, status: 'dry-run', dryRun: true, deleted: 0 });
    expect(out.split('\n')).toEqual([
      '200,000 keys match cache:page:\\[v1\\]:* on 1 node of redis://127.0.0.1:6379',
      'sample (2):',
      '  cache:page:[v1]:1',
      '  cache:page:[v1]:\\xff\\x0a',
      'dry run: nothing was deleted',
    ]);
  });

  it('interrupted and connection lost runs say what was deleted and how to finish', () => {
    expect(renderFlush({ ...base, status: 'interrupted', deleted: 1234, durationMs: 2500 })).toBe(
      '⚠ interrupted: deleted 1,234 of 200,000 matching keys in 2.50 s; run the same command again to finish',
    );
    expect(
      renderFlush({
        ...base,
        status: 'connection-lost',
        deleted: 10,
        error: 'Connection is closed.',
      }),
    ).toContain('⚠ connection lost (Connection is closed.): deleted 10 of 200,000 matching keys');
  });

  it('a refusal by the server names it and does not suggest running again', () => {
    const out = renderFlush({
      ...base,
      status: 'failed',
      deleted: 0,
      error: 'the ACL user may not delete these keys (NOPERM ...)',
      hint: 'grant UNLINK or DEL',
    });
    expect(out).toBe(
      '⚠ the ACL user may not delete these keys (NOPERM ...): deleted 0 of 200,000 matching keys in 812 ms',
    );
  });

  it('kept-queues says what went and which queues stayed', () => {
    const out = renderFlush({
      ...base,
      status: 'kept-queues',
      matched: 200014,
      kept: 14,
      queues: ['bull:emails', 'bull:reports'],
    });
    expect(out).toBe(
      '⚠ deleted 200,000 keys matching cache:page:\\[v1\\]:* in 812 ms; kept 14 keys of BullMQ queues bull:emails, bull:reports',
    );
  });

  it('max-keys says nothing was deleted', () => {
    expect(renderFlush({ ...base, status: 'max-keys', maxKeys: 1000, deleted: 0 })).toBe(
      '✖ more than 1,000 keys match cache:page:\\[v1\\]:* (--max-keys): nothing was deleted',
    );
  });
});

describe('renderSurvey', () => {
  it('per node counts on a cluster and a queue warning', () => {
    const out = renderSurvey({ ...cluster, queues: ['bull:emails'], sample: [] });
    expect(out.split('\n')).toEqual([
      '200,000 keys match cache:page:\\[v1\\]:* on 3 nodes of redis://127.0.0.1:6379',
      '  127.0.0.1:7000               70,000',
      '  127.0.0.1:7001               65,000',
      '  127.0.0.1:7002               65,000',
      '⚠ these reach BullMQ queues: bull:emails (refused without --include-queues)',
    ]);
  });
});

describe('progressLine', () => {
  it('counting, then deleting with a rate and per node counts', () => {
    const s = {
      phase: 'counting' as const,
      labels: ['a:1', 'b:2'],
      scanned: [1000, 3000],
      deleted: [0, 0],
      startedMs: 0,
      nowMs: 2000,
    };
    expect(progressLine(s)).toBe('counting: 4,000 keys match · 2,000 keys/s · a:1 1,000 · b:2 3,000');
    expect(progressLine({ ...s, phase: 'deleting', deleted: [500, 1500] })).toBe(
      'deleting: 2,000 of 4,000 · 1,000 keys/s · a:1 500 · b:2 1,500',
    );
    // Streaming has no count to go by: keys deleted so far and the rate.
    expect(progressLine({ ...s, phase: 'streaming', scanned: [0, 0], deleted: [500, 1500] })).toBe(
      'deleting as scanned: 2,000 keys · 1,000 keys/s · a:1 500 · b:2 1,500',
    );
  });
});
