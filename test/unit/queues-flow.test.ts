import { describe, expect, it } from 'vitest';
import { splitJobKey } from '../../src/queues/flow.js';

describe('flow keys and tree', () => {
  it('splits a job key by the longest known queue base (names and prefixes may hold ":")', () => {
    expect(splitJobKey('myapp:jobs:reports:42', ['myapp:jobs', 'myapp:jobs:reports'])).toEqual({
      base: 'myapp:jobs:reports',
      id: '42',
    });
    expect(splitJobKey('bull:unknown:7', [])).toEqual({ base: 'bull:unknown', id: '7' });
  });
});
