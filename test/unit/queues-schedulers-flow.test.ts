import { describe, expect, it } from 'vitest';
import { renderFlow } from '../../src/commands/queues/render-flow.js';
import { describeScheduler } from '../../src/commands/queues/render-schedulers.js';
import { splitJobKey, type FlowNode } from '../../src/queues/flow.js';
import { parseLegacyKey, toEntry } from '../../src/queues/schedulers.js';
import { stalledAttention } from '../../src/queues/stalled.js';

describe('scheduler members', () => {
  it('tells schedulers (ic), legacy repeatables (hash without ic, or the key shape) and broken ones apart', () => {
    expect(toEntry('nightly', 1, { name: 'digest', pattern: '0 3 * * *', ic: '4', tz: 'UTC' })).toMatchObject(
      {
        kind: 'scheduler',
        iterations: 4,
        pattern: '0 3 * * *',
      },
    );
    expect(toEntry('9f86d08', 1, { name: 'r', every: '60000' })).toMatchObject({
      kind: 'legacy',
      every: 60_000,
      iterations: null,
    });
    expect(toEntry('report::1735689600000:Europe/Paris:0 3 * * *', 1, {})).toMatchObject({
      kind: 'legacy',
      keyShaped: true,
      name: 'report',
      tz: 'Europe/Paris',
      pattern: '0 3 * * *',
      endDate: 1735689600000,
    });
    expect(toEntry('ghost', 1, {})).toMatchObject({ kind: 'broken', name: null });
  });
  it("reads Bull 4's interval keys (no tz field) and refuses look-alikes", () => {
    expect(parseLegacyKey('tick:::60000')).toMatchObject({ name: 'tick', every: 60_000, pattern: null });
    expect(parseLegacyKey('a:b:c:d:nospaces')).toBeNull();
    expect(parseLegacyKey('a:b:notdigits:tz:* * * * *')).toBeNull();
    expect(describeScheduler(toEntry('x', 1, { every: '1500', ic: '1' }))).toBe('every 1s');
  });
});

describe('flow keys and tree', () => {
  it('splits a job key by the longest known queue base (names and prefixes may hold ":")', () => {
    expect(splitJobKey('myapp:jobs:reports:42', ['myapp:jobs', 'myapp:jobs:reports'])).toEqual({
      base: 'myapp:jobs:reports',
      id: '42',
    });
    expect(splitJobKey('bull:unknown:7', [])).toEqual({ base: 'bull:unknown', id: '7' });
  });
  it('draws the tree, marks the job asked for and counts what is cut', () => {
    const node = (key: string, more = 0, nodes: FlowNode[] = []): FlowNode => ({
      key,
      ...splitJobKey(key, []),
      name: 'j',
      state: 'waiting',
      children: { pending: nodes.length + more, processed: 0, failed: 0, ignored: 0 },
      nodes,
      more,
    });
    const text = renderFlow({
      target: 't',
      asked: 'bull:b:2',
      root: node('bull:a:1', 1, [node('bull:b:2'), node('bull:b:3')]),
      nodes: 3,
      truncated: true,
    });
    expect(text.split('\n').slice(2, 6)).toEqual([
      '  j  bull:a:1  waiting  children: 3 pending',
      '  ├─ j  bull:b:2  waiting  ◀ asked',
      '  ├─ j  bull:b:3  waiting',
      '  └─ … 1 more not shown (--children, --depth)',
    ]);
  });
});

describe('stalled attention', () => {
  it('names locks gone, earlier stalls and failures that stalled out', () => {
    const s = { examined: 3, unlocked: ['1'], stalledBefore: 2, failedExamined: 10, failedStalled: 4 };
    expect(stalledAttention(s, true)).toEqual([
      'stalled: 1 of 3 active jobs looked at have no lock and no worker runs',
      'stalled before: 2 of 3 active jobs looked at (stalledCounter > 0)',
      'stalled out: 4 of the last 10 failed jobs stalled more than maxStalledCount',
    ]);
    expect(stalledAttention({ ...s, stalledBefore: 0, failedStalled: 0 }, false)).toEqual([
      "stalled: 1 of 3 active jobs looked at have no lock (a worker's stalled check moves them back)",
    ]);
  });
});
