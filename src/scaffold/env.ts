import { parseEnv } from 'node:util';

/** One variable init wants in .env (value) and .env.example (example: never a real secret). */
export interface EnvEntry {
  name: string;
  value: string;
  example: string;
  secret: boolean;
  /** A comment written above the entry in .env.example. */
  exampleComment?: string;
}

const nameLine = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

export function envNames(text: string | null): Set<string> {
  const names = new Set<string>();
  for (const line of (text ?? '').split('\n')) {
    const m = nameLine.exec(line);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

/** The values already in an env file (the user's: they win over anything init would write). */
export function envValues(text: string | null): Record<string, string> {
  if (!text) return {};
  try {
    return parseEnv(text) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * Append the missing variables at the end, under a comment; every existing line stays as it is,
 * byte for byte. Returns the names added (none: the text comes back unchanged).
 */
export function mergeEnvText(
  existing: string | null,
  lines: Array<{ name: string; value: string; comment?: string }>,
  header: string,
): { text: string; added: string[] } {
  const have = envNames(existing);
  const missing = lines.filter((l) => !have.has(l.name));
  if (missing.length === 0) return { text: existing ?? '', added: [] };
  let text = existing ?? '';
  if (text !== '' && !text.endsWith('\n')) text += '\n';
  if (text.trim() !== '') text += '\n';
  text += `# ${header}\n`;
  for (const l of missing) {
    if (l.comment) text += `# ${l.comment}\n`;
    text += `${l.name}=${l.value}\n`;
  }
  return { text, added: missing.map((l) => l.name) };
}

/** A basename-style .gitignore pattern (the common cases) as a matcher of one path. */
function patternMatches(pattern: string, file: string): boolean {
  const bare = pattern.replace(/^\//, '').replace(/\/$/, '');
  if (bare === file || bare === '*') return true;
  const glob = new RegExp(
    `^${bare
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  if (bare.includes('/')) return glob.test(file);
  return glob.test(file.split('/').pop() ?? file);
}

/**
 * Whether .gitignore's lines ignore a file, in order, the last match winning (so `!.env` after
 * `.env*` un-ignores). Used only where there is no git repository to ask (git check-ignore).
 */
export function ignoredBy(text: string | null, file: string): boolean {
  let ignored = false;
  for (const raw of (text ?? '').split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('!')) {
      if (patternMatches(line.slice(1), file)) ignored = false;
    } else if (patternMatches(line, file)) ignored = true;
  }
  return ignored;
}

/**
 * Add what .gitignore needs: the env file ignored, and .env.example kept committable (a `.env*`
 * rule, the user's or any, would hide it). `ask` answers as git would (git check-ignore) where a
 * repository exists; without one the rules are read here, last match winning.
 */
export function mergeGitignore(
  existing: string | null,
  file: string,
  ask: (path: string) => boolean | null = () => null,
): { text: string; added: string[] } {
  let text = existing ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const added: string[] = [];
  const add = (line: string): void => {
    if (text !== '' && !text.endsWith('\n')) text += eol;
    text += `${line}${eol}`;
    added.push(line);
  };
  const envIgnored = ask(file) ?? ignoredBy(existing, file);
  if (!envIgnored) add(file);
  const example = '.env.example';
  const exampleIgnored = (ask(example) ?? ignoredBy(existing, example)) || ignoredBy(text, example);
  if (exampleIgnored) add(`!${example}`);
  return { text, added };
}

/**
 * How dotenv / Node's parseEnv and Docker Compose would read a raw .env value; a value they read
 * differently (unquoted #, $ that Compose interpolates, edge spaces) is refused, with the quoting
 * that all three agree on. undefined: no disagreement.
 */
export function ambiguousEnv(text: string | null, name: string): { hint: string; why: string } | undefined {
  for (const line of (text ?? '').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (m?.[1] !== name) continue;
    const raw = m[2] ?? '';
    const value = raw.trim();
    if (value.startsWith("'")) return undefined; // single quotes: literal for all three
    const unquoted = !value.startsWith('"');
    const inner = unquoted
      ? value
      : value.slice(1, value.lastIndexOf('"') > 0 ? value.lastIndexOf('"') : undefined);
    const reasons: string[] = [];
    if (unquoted && /#/.test(inner) && !/^[^#]*\s#/.test(inner))
      reasons.push('an unquoted # starts a comment for dotenv and Node but not for Docker Compose');
    if (/\$/.test(inner)) reasons.push('Docker Compose interpolates $ in it');
    if (reasons.length === 0) return undefined;
    const literal = unquoted ? inner.replace(/\s+#.*$/, '') : inner;
    return {
      why: reasons.join('; '),
      hint: literal.includes("'")
        ? `choose a value without # $ or ' (or quote it so every reader agrees)`
        : `quote it in single quotes: ${name}='<the value>'`,
    };
  }
  return undefined;
}

/** Rewrite the value of existing lines (the others stay byte for byte). */
export function setEnvValues(text: string, values: Record<string, string>): string {
  const done = new Set<string>();
  return text.replace(
    /^([ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=)[^\r\n]*/gm,
    (line, head: string, name: string) => {
      if (!(name in values) || done.has(name)) return line;
      done.add(name);
      return `${head}${values[name] ?? ''}`;
    },
  );
}
