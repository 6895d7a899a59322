import { describe, expect, it } from 'vitest';
import { listFacts, readyAt } from '../../src/queues/counts.js';

describe('counts helpers', () => {
  it('a legacy "0:" marker at the tail is not a job', () => {
    expect(listFacts(3, ['2', '1'])).toEqual({ count: 3, oldestId: '1' });
    expect(listFacts(3, ['1', '0:123'])).toEqual({ count: 2, oldestId: '1' });
    expect(listFacts(1, ['0:123'])).toEqual({ count: 0, oldestId: null });
    expect(listFacts(0, [])).toEqual({ count: 0, oldestId: null });
  });

  it('a job is ready from its timestamp plus its delay', () => {
    expect(readyAt('1000', '500')).toBe(1500);
    expect(readyAt('1000', null)).toBe(1000);
    expect(readyAt(null, '5')).toBeNull();
  });
});
