import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/options.js';
import { barLine, fit, shortenMiddle } from '../../src/ui/live.js';
import { renderTable, wrapText, type Column } from '../../src/ui/table.js';

describe('shortenMiddle and fit', () => {
  it('keeps both ends of a key name', () => {
    expect(shortenMiddle('user:1234567890:profile', 15)).toBe('user:12…profile');
    expect(shortenMiddle('short', 15)).toBe('short');
    expect([...shortenMiddle('é'.repeat(50), 9)]).toHaveLength(9);
    expect(fit('abcdefgh', 5)).toBe('abcd…');
  });
});

describe('renderTable', () => {
  const columns: Column[] = [
    { head: 'NAME', align: 'left', shrink: 8 },
    { head: 'COUNT', align: 'right' },
    { head: 'EXTRA', align: 'left', drop: 1 },
  ];
  const rows = [['a-very-long-queue-name-indeed', '12', 'something']];
  it('natural width without a width', () => {
    expect(renderTable(columns, rows).lines).toEqual([
      'NAME                           COUNT  EXTRA',
      'a-very-long-queue-name-indeed     12  something',
    ]);
  });
  it('shortens names, then drops columns, to fit', () => {
    const t = renderTable(columns, rows, { width: 30 });
    expect(t.dropped).toEqual(['EXTRA']);
    for (const l of t.lines) expect([...l].length).toBeLessThanOrEqual(30);
    expect(t.lines[1]).toMatch(/^a-very-lon…me-indeed\s+12$/);
  });
});

describe('barLine', () => {
  it('percent, counts, rate and ETA, within the width', () => {
    const line = barLine({
      label: 'deleting',
      done: 500,
      total: 1000,
      elapsedMs: 1000,
      unit: 'keys',
      width: 80,
    });
    expect(line).toMatch(/^deleting \[█+░+\] {2}50% · 500\/1\.0k · 500 keys\/s · ETA 1s$/);
    expect([...line].length).toBeLessThan(80);
    expect(
      barLine({ label: 'deleting', done: 1, total: 2, elapsedMs: 1, unit: 'keys', width: 40 }),
    ).not.toMatch(/\[/);
  });
});

describe('one duration syntax', () => {
  it.each([
    ['30s', 's', 30_000],
    ['15m', 's', 900_000],
    ['2h', 'ms', 7_200_000],
    ['7d', 's', 604_800_000],
    ['500ms', 's', 500],
    ['30', 's', 30_000],
    ['5000', 'ms', 5000],
    ['0.5', 's', 500],
  ] as const)('%s (bare %s) = %i ms', (text, bare, ms) =>
    expect(parseDuration(text, '--x', { bare })).toBe(ms),
  );
  it('rejects what is not a duration', () => {
    expect(() => parseDuration('1y', '--grace', { bare: 'ms' })).toThrow(/invalid --grace: 1y/);
    expect(() => parseDuration('-1s', '--wait', { bare: 's' })).toThrow(/invalid --wait/);
  });
});

describe('wrapText', () => {
  it('wraps at spaces', () =>
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']));
});
