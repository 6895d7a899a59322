import { stripVTControlCharacters } from 'node:util';
import { eastAsianWidth } from 'get-east-asian-width';

/**
 * How many terminal columns text takes: CJK and most emoji take two, combining marks and
 * zero-width characters none, colour codes none. Tables and cut lines measure with this, so a
 * key named `用户:42` keeps its border in line (cli-table3 measured the same way, string-width).
 */
const zeroWidth = /^(?:\p{Mn}|\p{Me}|\p{Cf}|\u200b|[\ufe00-\ufe0f])$/u;

export function charWidth(ch: string): number {
  if (zeroWidth.test(ch)) return 0;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  return eastAsianWidth(cp);
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of stripVTControlCharacters(text)) w += charWidth(ch);
  return w;
}
