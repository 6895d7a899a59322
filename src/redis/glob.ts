/**
 * Redis MATCH globs, read the way the server reads them (stringmatchlen in util.c), so we can
 * reason about a pattern before sending it: does it match everything, and could it match any
 * key that starts with a given prefix (the BullMQ queue guard of `flush`). Works on bytes: the
 * one glob matcher of redis-ops (flush's guard, stats --keys --match --sample).
 *
 * One quirk decides `[a-é]`: stringmatchlen compares class ranges as C `char`, which is signed
 * on x86-64. Measured on redis-server 7.0 (x86-64): `[a-é]` is the range from 'a' (0x61) to
 * 0xC3 (é's first byte) *as signed numbers*, so -61..97: bytes 0x00-0x61 and 0xC3-0xFF, not
 * 'b'..'z'. An ARM server (char unsigned: AWS Graviton) reads 0x61-0xC3 instead. Ranges with
 * both ends below 0x80 read the same on both. The matcher follows x86-64 by default; a guard
 * asks for 'either' and refuses what either reading would reach.
 */
export type CharSign = 'signed' | 'unsigned' | 'either';
export type GlobToken =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'byte'; value: number }
  | { kind: 'class'; negate: boolean; ranges: Array<[number, number]> };

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BACKSLASH = 0x5c;
const CARET = 0x5e;
const DASH = 0x2d;

export function parseGlob(pattern: string | Buffer): GlobToken[] {
  const p = typeof pattern === 'string' ? Buffer.from(pattern, 'utf8') : pattern;
  const tokens: GlobToken[] = [];
  let i = 0;
  while (i < p.length) {
    const b = p[i] as number;
    if (b === STAR) {
      // Consecutive stars are one star.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      i++;
    } else if (b === QUESTION) {
      tokens.push({ kind: 'any' });
      i++;
    } else if (b === BACKSLASH && i + 1 < p.length) {
      tokens.push({ kind: 'byte', value: p[i + 1] as number });
      i += 2;
    } else if (b === OPEN) {
      i = parseClass(p, i + 1, tokens);
    } else {
      tokens.push({ kind: 'byte', value: b });
      i++;
    }
  }
  return tokens;
}

/** A [...] class starting after '['; returns the index after ']' (or the end: Redis accepts that). */
function parseClass(p: Buffer, start: number, tokens: GlobToken[]): number {
  let i = start;
  const negate = p[i] === CARET;
  if (negate) i++;
  const ranges: Array<[number, number]> = [];
  while (i < p.length && p[i] !== CLOSE) {
    if (p[i] === BACKSLASH && i + 1 < p.length) {
      ranges.push([p[i + 1] as number, p[i + 1] as number]);
      i += 2;
    } else if (i + 2 < p.length && p[i + 1] === DASH) {
      // Ends as written: which one is lower depends on the server's char (see above).
      ranges.push([p[i] as number, p[i + 2] as number]);
      i += 3;
    } else {
      ranges.push([p[i] as number, p[i] as number]);
      i++;
    }
  }
  tokens.push({ kind: 'class', negate, ranges });
  return i + 1;
}

const signed = (b: number): number => (b >= 0x80 ? b - 256 : b);

function inRange(a: number, z: number, b: number, sign: 'signed' | 'unsigned'): boolean {
  if (a === z) return a === b;
  const [x, y, c] = sign === 'signed' ? [signed(a), signed(z), signed(b)] : [a, z, b];
  return x <= y ? c >= x && c <= y : c >= y && c <= x;
}

function accepts(t: GlobToken, b: number, sign: CharSign): boolean {
  if (t.kind === 'any' || t.kind === 'star') return true;
  if (t.kind === 'byte') return t.value === b;
  const test = (s: 'signed' | 'unsigned'): boolean => {
    const inside = t.ranges.some(([a, z]) => inRange(a, z, b, s));
    return t.negate ? !inside : inside;
  };
  return sign === 'either' ? test('signed') || test('unsigned') : test(sign);
}

/** Token positions reachable from a set of positions without consuming a byte (stars may match nothing). */
function close(tokens: GlobToken[], states: Set<number>): Set<number> {
  for (const s of [...states]) {
    let j = s;
    while (tokens[j]?.kind === 'star') states.add(++j);
  }
  return states;
}

/** Positions in the pattern after reading `text`; empty when no key starting with text can match. */
function run(tokens: GlobToken[], text: Buffer, sign: CharSign): Set<number> {
  let states = close(tokens, new Set([0]));
  for (const b of text) {
    const next = new Set<number>();
    for (const s of states) {
      const t = tokens[s];
      if (!t || !accepts(t, b, sign)) continue;
      next.add(t.kind === 'star' ? s : s + 1);
    }
    states = close(tokens, next);
    if (states.size === 0) break;
  }
  return states;
}

export function globMatches(
  pattern: string | Buffer,
  key: string | Buffer,
  sign: CharSign = 'signed',
): boolean {
  return compileGlob(pattern, sign)(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
}

/** Parse once, match many keys (stats --keys --match --sample filters every batch). */
export function compileGlob(pattern: string | Buffer, sign: CharSign = 'signed'): (key: Buffer) => boolean {
  const tokens = parseGlob(pattern);
  return (key) => run(tokens, key, sign).has(tokens.length);
}

/**
 * Could the pattern match some key that starts with `prefix`? True when a prefix of the
 * pattern reads the whole prefix; what remains can always match something, or we say so
 * anyway (a guard errs on the side of refusing).
 */
export function globCouldMatchPrefix(
  pattern: string | Buffer,
  prefix: string | Buffer,
  sign: CharSign = 'either',
): boolean {
  const tokens = parseGlob(pattern);
  const text = typeof prefix === 'string' ? Buffer.from(prefix, 'utf8') : prefix;
  return run(tokens, text, sign).size > 0;
}

/** A pattern made only of `*` and `?` (with at least one `*`) matches every key, or nearly: FLUSHDB's job. */
export function globMatchesEverything(pattern: string | Buffer): boolean {
  const tokens = parseGlob(pattern);
  return tokens.some((t) => t.kind === 'star') && tokens.every((t) => t.kind === 'star' || t.kind === 'any');
}
