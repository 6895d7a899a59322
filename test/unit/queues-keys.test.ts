import { describe, expect, it } from 'vitest';
import {
  isBullmqVersion,
  isJobIdCounter,
  isQueueByIdAndTypes,
  isQueueCandidate,
  queueKey,
  stateKeys,
} from '../../src/queues/keys.js';

describe('BullMQ key names and the "is this a queue" rule', () => {
  it('picks :meta and :id keys as candidates, byte-wise', () => {
    expect(isQueueCandidate(Buffer.from('bull:q:meta'))).toBe(true);
    expect(isQueueCandidate(Buffer.from('bull:q:id'))).toBe(true);
    expect(isQueueCandidate(Buffer.from('bull:q:metadata'))).toBe(false);
    expect(isQueueCandidate(Buffer.from('bull:q:uid'))).toBe(false);
    expect(isQueueCandidate(Buffer.from('id'))).toBe(false);
    expect(isQueueCandidate(Buffer.from([0xff, 0x3a, 0x69, 0x64]))).toBe(true);
  });

  it('names keys under the base', () => {
    expect(queueKey('bull:emails', 'stalled-check')).toBe('bull:emails:stalled-check');
  });

  it('takes a meta hash for a queue only when BullMQ wrote its version', () => {
    expect(isBullmqVersion('bullmq:6.7.0')).toBe(true);
    expect(isBullmqVersion('bull:3')).toBe(false);
    expect(isBullmqVersion(null)).toBe(false);
  });

  it('takes an id counter for a queue only with an integer and a state key of the right type', () => {
    const types = (at: number, type: string): string[] => stateKeys.map((_, i) => (i === at ? type : 'none'));
    const failed = stateKeys.findIndex(([s]) => s === 'failed');
    expect(isJobIdCounter('42')).toBe(true);
    expect(isJobIdCounter('4a')).toBe(false);
    expect(isQueueByIdAndTypes('42', types(failed, 'zset'))).toBe(true);
    expect(isQueueByIdAndTypes('42', types(failed, 'list'))).toBe(false);
    expect(isQueueByIdAndTypes('x', types(failed, 'zset'))).toBe(false);
    expect(isQueueByIdAndTypes('42', types(-1, ''))).toBe(false);
  });
});
