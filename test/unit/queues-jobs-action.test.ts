import { describe, expect, it } from 'vitest';
import { compactIds } from '../../src/commands/queues/jobs-action.js';

describe('compactIds: the preview names every id, runs folded', () => {
  it('folds consecutive numeric ids in order and keeps custom ids', () => {
    expect(compactIds(['9', '8', '7', '3', '12', '5', '4'])).toBe('3-5, 7-9, 12');
    expect(compactIds(['2', '1'])).toBe('1, 2');
    expect(compactIds(['order-7', '10', 'repeat:x:1'])).toBe('10, order-7, repeat:x:1');
    expect(compactIds([])).toBe('');
  });
});
