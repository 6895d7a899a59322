/**
 * A small unified diff (LCS over lines, 3 lines of context), enough for --dry-run and for
 * showing a conflicting service. The files init touches are small; past a size where the
 * LCS table would be large we show the whole file replaced, which is still a correct diff.
 */
type Op = { kind: ' ' | '-' | '+'; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  if (a.length * b.length > 4_000_000)
    return [
      ...a.map((line) => ({ kind: '-' as const, line })),
      ...b.map((line) => ({ kind: '+' as const, line })),
    ];
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => lcs[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] ?? '' });
      j++;
    } else if (j < m && (i >= n || at(i, j + 1) >= at(i + 1, j))) ops.push({ kind: '+', line: b[j++] ?? '' });
    else ops.push({ kind: '-', line: a[i++] ?? '' });
  }
  return ops;
}

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

export function unifiedDiff(before: string | null, after: string, path: string, context = 3): string {
  const a = splitLines(before ?? '');
  const b = splitLines(after);
  const ops = diffLines(a, b);
  if (!ops.some((op) => op.kind !== ' ')) return '';
  const out = [`--- ${before === null ? '/dev/null' : `a/${path}`}`, `+++ b/${path}`];
  // Positions (old line, new line) before each op, to number the hunks.
  const pos: Array<[number, number]> = [];
  let oi = 0;
  let ni = 0;
  for (const op of ops) {
    pos.push([oi, ni]);
    if (op.kind !== '+') oi++;
    if (op.kind !== '-') ni++;
  }
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]?.kind === ' ') k++;
    if (k >= ops.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while the next change is within 2×context unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end]?.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]?.kind === ' ') next++;
      if (next < ops.length && next - end <= context * 2) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const [o, nn] = pos[start] ?? [0, 0];
    const oldLen = hunk.filter((op) => op.kind !== '+').length;
    const newLen = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldLen === 0 ? o : o + 1},${oldLen} +${newLen === 0 ? nn : nn + 1},${newLen} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    k = end;
  }
  if (after !== '' && !after.endsWith('\n')) out.push('\\ No newline at end of file');
  return `${out.join('\n')}\n`;
}
