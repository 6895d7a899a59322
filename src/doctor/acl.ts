import type { Redis } from 'ioredis';
import { errorText } from '../redis/hints.js';
import { redact } from '../redis/secrets.js';
import { withTimeout } from '../redis/timeout.js';

/** ACL users as ACL LIST shows them (read-only; needs the ACL permission). */
export interface AclUser {
  name: string;
  enabled: boolean;
  /** `nopass`: any password (or none, for default) logs in as this user. */
  nopass: boolean;
  rules: string;
}

export interface AclFacts {
  users: AclUser[] | null;
  unavailable: string | null;
}

export function parseAclList(lines: string[]): AclUser[] {
  const users: AclUser[] = [];
  for (const line of lines) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] !== 'user' || !parts[1]) continue;
    const flags = parts.slice(2);
    users.push({
      name: parts[1],
      enabled: flags.includes('on'),
      nopass: flags.includes('nopass'),
      // Password hashes (#...) are not secrets in the usual sense, but they never need showing.
      rules: flags.filter((f) => !f.startsWith('#') && !f.startsWith('>')).join(' '),
    });
  }
  return users;
}

export async function readAcl(node: Redis, ms: number): Promise<AclFacts> {
  try {
    const lines = (await withTimeout(node.call('ACL', 'LIST'), ms, 'ACL LIST')) as unknown[];
    return { users: parseAclList(lines.map(String)), unavailable: null };
  } catch (err) {
    const text = redact(errorText(err));
    return {
      users: null,
      unavailable: /NOPERM/.test(text) ? 'this user may not run ACL LIST' : `ACL LIST failed (${text})`,
    };
  }
}

/**
 * Which dangerous commands the app's user may run, by ACL DRYRUN (Redis 7; nothing runs).
 * null when DRYRUN is not available to this user.
 */
export const dangerousProbes: string[][] = [
  ['FLUSHALL'],
  ['CONFIG', 'SET', 'maxmemory', '0'],
  ['DEBUG', 'SLEEP', '0'],
  ['SHUTDOWN'],
  ['MODULE', 'LIST'],
  ['KEYS', 'x'],
];

export async function dryRun(
  node: Redis,
  user: string,
  cmds: string[][],
  ms: number,
): Promise<string[] | null> {
  try {
    const answers = await withTimeout(
      Promise.all(cmds.map((c) => node.call('ACL', 'DRYRUN', user, ...c))),
      ms,
      'ACL DRYRUN',
    );
    return cmds
      .filter((_, i) => String(answers[i]) === 'OK')
      .map((c) => c.slice(0, c[0] === 'CONFIG' ? 2 : 1).join(' '));
  } catch {
    return null;
  }
}
