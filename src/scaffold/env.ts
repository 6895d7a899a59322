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

/** Whether a .gitignore line already keeps the env file out of git. */
function ignores(line: string, file: string): boolean {
  const l = line.trim();
  if (l === '' || l.startsWith('#') || l.startsWith('!')) return false;
  const bare = l.replace(/^\//, '');
  if (bare === file || bare === '*') return true;
  // Simple globs such as .env* or *.env; full gitignore semantics are not needed here.
  const glob = new RegExp(`^${bare.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return !bare.includes('/') && glob.test(file.split('/').pop() ?? file);
}

export function mergeGitignore(existing: string | null, file: string): { text: string; added: boolean } {
  if ((existing ?? '').split('\n').some((line) => ignores(line, file)))
    return { text: existing ?? '', added: false };
  let text = existing ?? '';
  if (text !== '' && !text.endsWith('\n')) text += '\n';
  return { text: `${text}${file}\n`, added: true };
}
