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
