import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonShape } from '../helpers/json-schemas.js';
import { assertJsonFragment, assertJsonShape, shapeFor } from '../helpers/json-shape.js';

// The README's JSON examples are checked against the same schemas as the real outputs: each
// ```json block belongs to the `<command> --json` named in the lines just before it.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The shape a README block shows: its command's, or ErrorJson for the error object. */
const shapeOf = (command: string): JsonShape =>
  command === 'error' ? 'ErrorJson' : shapeFor(command.split(' '));

function examples(): Array<{ command: string; text: string; line: number }> {
  const lines = readme.split('\n');
  const found: Array<{ command: string; text: string; line: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```json') continue;
    const before = lines.slice(Math.max(0, i - 4), i).join('\n');
    const named = [...before.matchAll(/`(?:redis-ops )?([a-z][^`]*--json)`/g)].pop();
    const end = lines.indexOf('```', i + 1);
    // The --json error object (README "Exit codes") belongs to no one command: any command's failure.
    const command = lines[i + 2]?.startsWith('  "error"') ? 'error' : (named?.[1] ?? '');
    found.push({ command, text: lines.slice(i + 1, end).join('\n'), line: i + 1 });
  }
  return found;
}

describe('the JSON examples in README.md', () => {
  const blocks = examples();

  it('name their command, and cover every command', () => {
    expect(blocks.filter((b) => b.command === '').map((b) => `README.md:${b.line}`)).toEqual([]);
    const shapes = new Set(blocks.map((b) => shapeOf(b.command)));
    expect([...shapes].sort()).toEqual(
      [
        'DoctorJson',
        'DrainJson',
        'ErrorJson',
        'FlushJson',
        'HitsJson',
        'InitJson',
        'JobsActionJson',
        'KeysJson',
        'QueuesJson',
        'QueuesWatchJson',
        'SchedulersJson',
        'FlowJson',
        'ShowJson',
        'SectionsJson',
        'StatsJson',
        'WatchJson',
      ].sort(),
    );
  });

  it.each(blocks.map((b) => [`${b.command} (README.md:${b.line})`, b] as const))(
    '%s has its typed shape',
    (_n, b) => {
      const shape = shapeOf(b.command);
      // --watch prints JSON Lines (one object per line); its example may show one object pretty-printed.
      if (b.text.trimStart().startsWith('"')) {
        // A fragment of the document (`"sentinel": { ... }`): its fields are checked.
        assertJsonFragment(shape, JSON.parse(`{${b.text}}`) as Record<string, unknown>);
        return;
      }
      let docs: unknown[];
      try {
        docs = [JSON.parse(b.text)];
      } catch {
        docs = b.text
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as unknown);
      }
      for (const doc of docs) assertJsonShape(shape, doc);
    },
  );
});
