import { describe, expect, it } from 'vitest';
import { forbidsColonInName, splitBase, splitBases } from '../../src/queues/split.js';

describe('splitBase', () => {
  it('--prefix: the longest given for old queues; bases outside every prefix are dropped', () => {
    expect(splitBase('myapp:jobs:reports', ['myapp', 'myapp:jobs'])).toEqual({
      prefix: 'myapp:jobs',
      name: 'reports',
      split: 'flag',
    });
    expect(splitBase('other:x', ['myapp'])).toBeUndefined();
  });

  it('BullMQ ≥ 5.12.12 forbids ":" in names: the name is the last segment, even under --prefix myapp', () => {
    expect(forbidsColonInName('bullmq:6.7.0')).toBe(true);
    expect(forbidsColonInName('bullmq:5.12.11')).toBe(false);
    expect(splitBase('myapp:jobs:reports', {}, 'bullmq:6.7.0')).toEqual({
      prefix: 'myapp:jobs',
      name: 'reports',
      split: 'name-rule',
    });
    expect(splitBase('myapp:jobs:reports', ['myapp'], 'bullmq:6.7.0')).toEqual({
      prefix: 'myapp:jobs',
      name: 'reports',
      split: 'name-rule',
    });
    expect(splitBase('{sms}:jobs:sms', {}, 'bullmq:6.7.0')).toEqual({
      prefix: '{sms}:jobs',
      name: 'sms',
      split: 'name-rule',
    });
  });

  it('older or meta-less queues: a known prefix, else the first segment', () => {
    expect(splitBase('bull:a:b', {}, null)).toEqual({ prefix: 'bull', name: 'a:b', split: 'known-prefix' });
    expect(splitBase('acme:tenant:1', {}, 'bullmq:5.12.0')).toEqual({
      prefix: 'acme',
      name: 'tenant:1',
      split: 'first-segment',
    });
    const [, second] = splitBases([
      { base: 'shop:x:y', version: 'bullmq:6.0.0' },
      { base: 'shop:x:old:name', version: null },
    ]);
    expect(second).toEqual({ prefix: 'shop:x', name: 'old:name', split: 'known-prefix' });
  });
});
