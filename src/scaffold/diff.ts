import { structuredPatch } from 'diff';

/**
 * A unified diff (3 lines of context) for --dry-run and for what adopting would change: the
 * file's real lines and line numbers, in the format patch(1) applies. The `diff` package does
 * the line matching (Myers, linear space) and numbers the hunks.
 */
export function unifiedDiff(before: string | null, after: string, path: string, context = 3): string {
  if ((before ?? '') === after) return '';
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before ?? '', after, '', '', { context });
  if (patch.hunks.length === 0) return '';
  const out = [`--- ${before === null ? '/dev/null' : `a/${path}`}`, `+++ b/${path}`];
  for (const h of patch.hunks) {
    // An empty side names the line before it (GNU diff and git: "-0,0" for a new file).
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    out.push(`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`, ...h.lines);
  }
  return `${out.join('\n')}\n`;
}
