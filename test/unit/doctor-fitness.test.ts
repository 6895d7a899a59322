import { describe, expect, it } from 'vitest';
import { acrossNodes, fitnessIds, runFitness, skipFitness } from '../../src/doctor/fitness.js';
import { checkPolicy } from '../../src/doctor/memory.js';
import { makeFacts } from '../helpers/doctor-facts.js';

describe('the catalogue', () => {
  it('runs every check in order, and skips every one when the server was not reached', () => {
    expect(runFitness(makeFacts()).map((c) => c.id)).toEqual(fitnessIds);
    expect(skipFitness('not reached').every((c) => c.status === 'skip')).toBe(true);
  });
});

describe('SRE checks (pure, from facts)', () => {
  it('acrossNodes: one different primary is named', () => {
    const a = { ...makeFacts().info, maxmemory_policy: 'noeviction' };
    const b = { ...a, maxmemory_policy: 'allkeys-lru' };
    const f = makeFacts({
      use: 'queue',
      nodes: [a, b, a],
      nodeNames: ['n1:1', 'n2:2', 'n3:3'],
      isCluster: true,
    });
    const r = acrossNodes(checkPolicy)(f);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^n2:2: maxmemory-policy is allkeys-lru.*\(the other 2 primaries: not fail\)$/);
  });
});
