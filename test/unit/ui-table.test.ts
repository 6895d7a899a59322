import { describe, expect, it } from 'vitest';
import { shortenMiddle } from '../../src/ui/live.js';
import { gridTable, renderTable, sectionTable, wrapText, type Column } from '../../src/ui/table.js';
import { displayWidth } from '../../src/ui/width.js';

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

describe('one engine, two styles', () => {
  it('boxed: a frame, headers aligned like their column, no line between rows', () => {
    expect(
      gridTable(
        ['namespace', 'keys', 'memory'],
        [
          ['cache:', '1,234', '12 MiB'],
          ['session:', '5', '1 KiB'],
        ],
        ['left', 'right', 'right'],
      ).split('\n'),
    ).toEqual([
      '┌───────────┬───────┬────────┐',
      '│ namespace │  keys │ memory │',
      '│ cache:    │ 1,234 │ 12 MiB │',
      '│ session:  │     5 │  1 KiB │',
      '└───────────┴───────┴────────┘',
    ]);
    expect(gridTable(['a', 'b'], [], ['left', 'right'], 40).split('\n')).toEqual([
      '┌───┬───┐',
      '│ a │ b │',
      '└───┴───┘',
    ]);
  });

  it('boxed tables fit the width, frame included, by shortening cells in the middle', () => {
    const lines = gridTable(
      ['namespace', 'keys', 'memory'],
      [[`cache:${'x'.repeat(100)}:end`, '1,234', '12 MiB']],
      ['left', 'right', 'right'],
      60,
    ).split('\n');
    for (const l of lines) expect(displayWidth(l)).toBe(60);
    expect(lines[2]).toMatch(/^│ cache:x+…x+:end │ 1,234 │ 12 MiB │$/);
  });

  it('plain sections: label and value, colour codes not counted', () => {
    expect(
      sectionTable([
        ['memory', '1.2 GiB'],
        ['\x1b[1mhit ratio\x1b[22m', '93.1%'],
      ]),
    ).toBe('memory     1.2 GiB\n\x1b[1mhit ratio\x1b[22m  93.1%');
    expect(sectionTable([])).toBe('');
  });

  it('measures terminal columns: wide characters take two, combining marks none', () => {
    expect(displayWidth('用户:42')).toBe(7);
    expect(displayWidth('e\u0301')).toBe(1);
    const lines = gridTable(
      ['namespace', 'keys'],
      [
        ['用户:', '1'],
        ['session:', '2'],
      ],
      ['left', 'right'],
    ).split('\n');
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(shortenMiddle('用户用户用户用户', 7)).toBe('用…户');
    expect(displayWidth(shortenMiddle('用户用户用户用户', 7))).toBeLessThanOrEqual(7);
  });
});

describe('wrapText', () => {
  it('wraps at spaces', () =>
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']));
});
