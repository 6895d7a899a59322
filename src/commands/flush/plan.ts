import { usageError } from '../../errors.js';
import { globCouldMatchPrefix, globMatchesEverything } from '../../redis/glob.js';
import { prefixPattern } from '../../redis/scan.js';

/**
 * What `flush` will match, decided before any connection: literal prefixes become escaped
 * MATCH patterns (so `cache:page:[v1]:` means exactly those keys), a raw --pattern is taken
 * as is. Anything that would match the whole keyspace is refused: FLUSHDB is the tool for it.
 */
export interface FlushPlan {
  /** The literal prefixes as given (after dropping ones another prefix already covers). */
  prefixes: string[];
  /** The MATCH patterns sent to the server. */
  patterns: Buffer[];
  /** --pattern was used: the queue guard cannot reason from the count alone. */
  raw: boolean;
  /** What the user types to confirm on a terminal. */
  confirmText: string;
}

export function planFlush(prefixes: string[], pattern: string | undefined): FlushPlan {
  if (pattern !== undefined && prefixes.length > 0) {
    throw usageError(
      'give either prefixes or --pattern, not both',
      'redis-ops flush cache: session:  or  redis-ops flush --pattern "cache:*:html"',
    );
  }
  if (pattern !== undefined) {
    if (pattern === '') throw usageError('the pattern is empty', 'give a MATCH glob such as "cache:*:html"');
    if (globMatchesEverything(pattern)) {
      throw usageError(
        `the pattern ${JSON.stringify(pattern)} matches every key`,
        'use FLUSHDB to empty a database; flush is for one namespace',
      );
    }
    return { prefixes: [], patterns: [Buffer.from(pattern, 'utf8')], raw: true, confirmText: pattern };
  }
  if (prefixes.length === 0)
    throw usageError('no prefix given', 'redis-ops flush cache:  (or --pattern <glob>)');
  if (prefixes.some((p) => p === '')) {
    throw usageError(
      'an empty prefix matches every key',
      'use FLUSHDB to empty a database; flush is for one namespace',
    );
  }
  const kept = dropCovered(prefixes);
  return {
    prefixes: kept,
    patterns: kept.map((p) => prefixPattern(p)),
    raw: false,
    confirmText: kept.join(' '),
  };
}

/** `cache:` already covers `cache:page:`: scanning both would count those keys twice. */
export function dropCovered(prefixes: string[]): string[] {
  const unique = [...new Set(prefixes)];
  return unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(q)));
}

/** Every key of a BullMQ queue starts with `<base>:`; does any pattern reach such a key? */
export function coversQueue(patterns: Buffer[], base: string): boolean {
  return patterns.some((p) => globCouldMatchPrefix(p, `${base}:`));
}

/** Queue bases a literal prefix reaches from below: `bull:q:completed` is inside queue `bull:q`. */
export function basesAbovePrefix(prefix: string): string[] {
  const bases: string[] = [];
  for (let i = prefix.indexOf(':'); i > 0; i = prefix.indexOf(':', i + 1)) bases.push(prefix.slice(0, i));
  return bases;
}
