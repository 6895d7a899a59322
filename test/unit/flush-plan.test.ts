import { describe, expect, it } from 'vitest';
import { basesAbovePrefix, coversQueue, dropCovered, planFlush } from '../../src/commands/flush/plan.js';
import { CliError } from '../../src/errors.js';

const usage = (fn: () => unknown): CliError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('no error thrown');
};

describe('planFlush', () => {
  it('escapes glob characters of a literal prefix', () => {
    const plan = planFlush(['cache:page:[v1]:'], undefined);
    expect(plan.patterns.map(String)).toEqual(['cache:page:\\[v1\\]:*']);
    expect(plan.raw).toBe(false);
    expect(plan.confirmText).toBe('cache:page:[v1]:');
  });

  it('escapes * ? and backslash too', () => {
    expect(String(planFlush(['a*b?c\\d'], undefined).patterns[0])).toBe('a\\*b\\?c\\\\d*');
  });

  it('takes a raw pattern as is', () => {
    const plan = planFlush([], 'cache:*:html');
    expect(plan.patterns.map(String)).toEqual(['cache:*:html']);
    expect(plan.raw).toBe(true);
  });

  it('refuses an empty prefix, no prefix, an empty pattern, match-everything patterns and both forms', () => {
    expect(usage(() => planFlush([''], undefined)).message).toBe('an empty prefix matches every key');
    expect(usage(() => planFlush(['cache:', ''], undefined)).exitCode).toBe(2);
    expect(usage(() => planFlush([], undefined)).message).toBe('no prefix given');
    expect(usage(() => planFlush([], '')).message).toBe('the pattern is empty');
    for (const p of ['*', '**', '?*', '*?', '*?*'])
      expect(usage(() => planFlush([], p)).message).toContain('matches every key');
    expect(usage(() => planFlush(['a:'], 'b*')).message).toBe('give either prefixes or --pattern, not both');
  });

  it('drops prefixes another prefix covers, and duplicates', () => {
    expect(dropCovered(['cache:page:', 'cache:', 'session:', 'cache:'])).toEqual(['cache:', 'session:']);
    expect(planFlush(['cache:a', 'cache:'], undefined).confirmText).toBe('cache:');
  });
});

describe('queue coverage', () => {
  const patterns = (...prefixes: string[]): Buffer[] => planFlush(prefixes, undefined).patterns;

  it('a prefix covers a queue from above and from below, not beside', () => {
    expect(coversQueue(patterns('bull:'), 'bull:emails')).toBe(true);
    expect(coversQueue(patterns('bull:em'), 'bull:emails')).toBe(true);
    expect(coversQueue(patterns('bull:emails'), 'bull:emails')).toBe(true);
    expect(coversQueue(patterns('bull:emails:completed'), 'bull:emails')).toBe(true);
    expect(coversQueue(patterns('bull:emailsx'), 'bull:emails')).toBe(false);
    expect(coversQueue(patterns('cache:'), 'bull:emails')).toBe(false);
    expect(coversQueue([Buffer.from('*:lock')], 'bull:emails')).toBe(true);
  });

  it('lists the bases a prefix lies inside', () => {
    expect(basesAbovePrefix('bull:q:completed').map(String)).toEqual(['bull', 'bull:q']);
    expect(basesAbovePrefix('bull:q:').map(String)).toEqual(['bull', 'bull:q']);
    expect(basesAbovePrefix('cache')).toEqual([]);
    expect(basesAbovePrefix(':x')).toEqual([]);
  });
});
