import Table from 'cli-table3';
import { fitGrid } from '../../ui/table.js';

/** The two table shapes stats prints (the only cli-table3 user in stats). */
export function sectionTable(rows: Array<[string, string]>): string {
  // Borderless label/value rows: reads like a report, copies cleanly into tickets.
  const t = new Table({
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  t.push(...rows);
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** A bordered table without lines between rows; `aligns` marks the numeric (right) columns. */
export function gridTable(
  head: string[],
  rows: string[][],
  aligns: Array<'left' | 'right'>,
  width?: number,
): string {
  const t = new Table({
    head,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
    colAligns: aligns,
  });
  // Fit the terminal: long cells are shortened in the middle (src/ui/table.ts).
  t.push(...fitGrid(head, rows, width));
  return t.toString();
}
