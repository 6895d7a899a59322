import { usageError } from '../../errors.js';
import { patternBytes, prefixBytes } from '../../redis/byte-args.js';
import { globCouldMatchPrefix, globMatchesEverything } from '../../redis/glob.js';
import { displayKey, prefixPattern } from '../../redis/scan.js';

/**
 * What `flush` will match, decided before any connection: literal prefixes become escaped
 * MATCH patterns (so `cache:page:[v1]:` means exactly those keys), a raw --pattern is taken
 * as is. Anything that would match the whole keyspace is refused: FLUSHDB is the tool for it.
 */
export interface FlushPlan {
  /** The literal prefixes for display, bytes that are not UTF-8 as \xNN (after dropping covered ones). */
  prefixes: string[];
  /** The same prefixes as bytes (`\xNN` escapes decoded): what the guard reasons about. */
  prefixBytes: Buffer[];
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
    const bytes = patternBytes(pattern);
    if (globMatchesEverything(bytes)) {
      throw usageError(
        `the pattern ${JSON.stringify(pattern)} matches every key`,
        'use FLUSHDB to empty a database; flush is for one namespace',
      );
    }
    return { prefixes: [], prefixBytes: [], patterns: [bytes], raw: true, confirmText: pattern };
  }
  if (prefixes.length === 0)
    throw usageError('no prefix given', 'redis-ops flush cache:  (or --pattern <glob>)');
  if (prefixes.some((p) => p === '')) {
    throw usageError(
      'an empty prefix matches every key',
      'use FLUSHDB to empty a database; flush is for one namespace',
    );
  }
  const typed = new Map(prefixes.map((p) => [prefixBytes(p).toString('latin1'), p]));
  const kept = dropCovered([...typed.keys()]);
  const bytes = kept.map((k) => Buffer.from(k, 'latin1'));
  return {
    prefixes: bytes.map(displayKey),
    prefixBytes: bytes,
    patterns: bytes.map((p) => prefixPattern(p)),
    raw: false,
    // What the person types back: the prefixes as they wrote them (escapes included).
    confirmText: kept.map((k) => typed.get(k) as string).join(' '),
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
export function basesAbovePrefix(prefix: string | Buffer): Buffer[] {
  const bytes = typeof prefix === 'string' ? Buffer.from(prefix, 'utf8') : prefix;
  const bases: Buffer[] = [];
  for (let i = bytes.indexOf(0x3a); i > 0; i = bytes.indexOf(0x3a, i + 1)) bases.push(bytes.subarray(0, i));
  return bases;
}
