import { describe, expect, it } from 'vitest';
import type { UseProbe } from '../../src/doctor/use-probe.js';
import { inferUse } from '../../src/doctor/gather.js';
import { describeUse } from '../../src/doctor/fitness.js';
import { makeFacts, queue } from '../helpers/doctor-facts.js';

describe('the catalogue', () => {
  it('says how the use was decided, and unknown when the evidence cannot rule queues out', () => {
    const probe = (over: Partial<UseProbe> = {}): UseProbe => ({
      queues: [],
      clientQueues: [],
      clientNames: [],
      clientsUnavailable: null,
      scanned: 10,
      totalKeys: 10,
      complete: true,
      scanStopped: null,
      scanUnavailable: null,
      ...over,
    });
    const info = makeFacts().info;
    expect(inferUse(probe({ queues: [queue('bull:a'), queue('bull:b')] }), [info]).reason).toMatch(
      /inferred queue: 2 BullMQ queues found/,
    );
    expect(inferUse(probe({ clientQueues: ['bull:mail'] }), [info]).reason).toMatch(/CLIENT LIST/);
    expect(inferUse(probe(), [info])).toEqual({
      use: 'cache',
      reason: expect.stringMatching(/inferred cache: no BullMQ queues in all 10 keys/),
    });
    const partial = inferUse(
      probe({
        complete: false,
        scanned: 100_000,
        totalKeys: 10_000_000,
        scanStopped: 'the scan budget (100,000 keys) ran out',
      }),
      [info],
    );
    expect(partial.use).toBe('unknown');
    expect(partial.reason).toMatch(
      /none found in the first 100,000 of 10,000,000 keys.*pass --use to be sure/,
    );
    expect(inferUse(probe({ scanUnavailable: 'SCAN failed: NOPERM' }), [info]).use).toBe('unknown');
    expect(inferUse(probe(), [{ ...info, evicted_keys: '5' }]).reason).toMatch(/5 keys were evicted/);
    expect(describeUse(makeFacts({ use: 'both', useReason: '--use both' })).reason).toBe('--use both');
  });
});
