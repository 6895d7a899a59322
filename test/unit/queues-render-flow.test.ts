import { describe, expect, it } from 'vitest';
import { renderFlow } from '../../src/commands/queues/render-flow.js';
import { splitJobKey, type FlowNode } from '../../src/queues/flow.js';

describe('flow keys and tree', () => {
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
