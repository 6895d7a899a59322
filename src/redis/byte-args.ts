import { usageError } from '../errors.js';

/**
 * Key bytes from a command-line argument. process.argv is already UTF-8-decoded: a byte that is
 * not UTF-8 (`$'\xff:'`) arrives as U+FFFD and its value is lost, so such bytes are written as
 * `\xNN` escapes, and an argument that holds U+FFFD is refused instead of matching `\xEF\xBF\xBD`.
 *  - prefixes: `\xNN` is the byte NN, `\\` one backslash; any other backslash is itself;
 *  - patterns (globs): `\xNN` is the byte NN, taken literally (escaped if it is `* ? [ ] \`);
 *    everything else is glob syntax as the server reads it.
 */
const hexEscape = /\\x([0-9a-fA-F]{2})/y;

function refuseReplacement(text: string, what: string): void {
  if (text.includes('\uFFFD'))
    throw usageError(
      `the ${what} ${JSON.stringify(text)} holds U+FFFD: a byte of it was not UTF-8 and is lost`,
      `write bytes that are not UTF-8 as \\xNN escapes, e.g. 'cache:\\xff:'`,
    );
}

export function prefixBytes(text: string): Buffer {
  refuseReplacement(text, 'prefix');
  return decode(text, (byte) => [byte], true);
}

export function patternBytes(text: string): Buffer {
  refuseReplacement(text, 'pattern');
  const special = new Set([0x2a, 0x3f, 0x5b, 0x5d, 0x5c]);
  return decode(text, (byte) => (special.has(byte) ? [0x5c, byte] : [byte]), false);
}

function decode(text: string, emit: (byte: number) => number[], backslashPairs: boolean): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      hexEscape.lastIndex = i;
      const m = hexEscape.exec(text);
      if (m) {
        out.push(...emit(parseInt(m[1] as string, 16)));
        i += 4;
        continue;
      }
      if (backslashPairs && text[i + 1] === '\\') {
        out.push(0x5c);
        i += 2;
        continue;
      }
      if (!backslashPairs && i + 1 < text.length) {
        // A glob escape: keep it and the byte(s) it escapes as they are.
        const next = String.fromCodePoint(text.codePointAt(i + 1) as number);
        out.push(0x5c, ...Buffer.from(next, 'utf8'));
        i += 1 + next.length;
        continue;
      }
    }
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    out.push(...Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return Buffer.from(out);
}
