import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The layering of src/: commands sit on top; the engines (doctor, queues, scaffold, redis, ui) never
// import a command, and no two modules import each other in a circle (type-only and lazy
// `await import()` edges count too: they are the ones that creep back in unnoticed).
//
// The scanner is TypeScript's own `preProcessFile` (typescript is already a dev dependency), not
// dpdm or madge: every import in src/ is a relative './x.js' that maps to './x.ts', so resolving
// needs no bundler config, and one well-tested lexer of the compiler we build with sees exactly the
// imports tsc sees (static, type-only, re-exports and dynamic imports).

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** src-relative path → the src-relative paths it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) =>
        relative(src, join(dirname(file), spec.replace(/\.js$/, '.ts')))
          .split('\\')
          .join('/'),
      );
    graph.set(relative(src, file).split('\\').join('/'), deps);
  }
  return graph;
}

/** Every strongly connected component with more than one module (Tarjan), or a self-import. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('resolves every relative import to a file in src/', () => {
    const dangling = [...graph].flatMap(([from, deps]) =>
      deps.filter((d) => !graph.has(d)).map((d) => `${from} → ${d}`),
    );
    expect(dangling).toEqual([]);
  });

  it('has no edge from the engines up into src/commands', () => {
    const up = [...graph].flatMap(([from, deps]) =>
      /^(doctor|queues|scaffold|redis|ui)\//.test(from)
        ? deps.filter((d) => d.startsWith('commands/')).map((d) => `${from} → ${d}`)
        : [],
    );
    expect(up).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle and a back edge when there is one (the scanner works)', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(graph.get('commands/doctor/index.ts')).toContain('commands/connection.ts');
  });
});
