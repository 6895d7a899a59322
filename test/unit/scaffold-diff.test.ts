import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/scaffold/diff.js';

describe('unifiedDiff', () => {
  it('new file and no change', () => {
    expect(unifiedDiff(null, 'a\nb\n', 'f')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\n', 'a\n', 'f')).toBe('');
  });

  it('patch(1) applies what it prints (random edits)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-diff-'));
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let t = 0; t < 40; t++) {
      const a = Array.from({ length: rnd(40) }, () => `line ${rnd(8)}`);
      const b = a.filter(() => rnd(5) > 0).flatMap((x) => (rnd(6) === 0 ? [x, `new ${rnd(9)}`] : [x]));
      // Some files end without a newline, some use CRLF: patch(1) must still agree.
      const eol = t % 5 === 0 ? '\r\n' : '\n';
      const before = a.length ? `${a.join(eol)}${t % 7 === 0 ? '' : eol}` : '';
      const after = b.length ? `${b.join(eol)}${t % 3 === 0 ? '' : eol}` : '';
      const diff = unifiedDiff(before, after, 'f');
      if (before === after) continue;
      writeFileSync(join(dir, 'f'), before);
      writeFileSync(join(dir, 'p.diff'), diff);
      execFileSync('patch', ['-s', 'f', 'p.diff'], { cwd: dir });
      expect(readFileSync(join(dir, 'f'), 'utf8')).toBe(after);
    }
  });
});
