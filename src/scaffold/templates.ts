import { readFileSync } from 'node:fs';

/**
 * The shipped templates (templates/ at the package root, listed in "files"). The same relative
 * path works from src/scaffold (tests) and dist/scaffold (the built CLI).
 */
const templatesDir = new URL('../../templates/', import.meta.url);

export function loadTemplate(name: string): string {
  return readFileSync(new URL(name, templatesDir), 'utf8');
}

export type TemplateVars = Record<string, string | number | boolean>;

/**
 * A deliberately small template language: {{name}} is replaced by a value, and the lines
 * between {{#flag}} and {{/flag}} (each on a line of its own) are kept only when flag is true.
 * An unknown name is a bug in redis-ops, so it throws instead of writing "{{name}}" to a file.
 */
export function renderTemplate(text: string, vars: TemplateVars): string {
  const out: string[] = [];
  const open: boolean[] = [];
  for (const line of text.split('\n')) {
    const block = /^\s*\{\{([#/])(\w+)\}\}\s*$/.exec(line);
    if (block) {
      if (block[1] === '#') open.push(Boolean(vars[block[2] ?? '']));
      else open.pop();
      continue;
    }
    if (open.every(Boolean)) out.push(line);
  }
  if (open.length > 0) throw new Error('template: unclosed {{#block}}');
  return out.join('\n').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`template: no value for {{${key}}}`);
    return String(value);
  });
}
