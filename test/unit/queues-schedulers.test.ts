import { describe, expect, it } from 'vitest';
import { describeScheduler } from '../../src/commands/queues/render-schedulers.js';
import { parseLegacyKey, toEntry } from '../../src/queues/schedulers.js';

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
