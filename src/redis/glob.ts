/**
 * Redis' own MATCH semantics (util.c stringmatchlen), on bytes. Used where we must see every
 * key and filter ourselves: `stats --keys --sample` counts the keys SCAN visits to scale
 * its estimate, which a server-side MATCH would hide.
 */
export function matchGlob(pattern: Buffer, key: Buffer): boolean {
  return matchAt(pattern, 0, key, 0, { skip: false });
}

function matchAt(pat: Buffer, p: number, str: Buffer, s: number, state: { skip: boolean }): boolean {
  while (p < pat.length && s < str.length) {
    const c = pat[p];
    if (c === 0x2a) {
      // '*': collapse runs, then try every suffix; a failed tail can stop longer tries.
      while (pat[p + 1] === 0x2a) p++;
      if (p === pat.length - 1) return true;
      while (s < str.length) {
        if (matchAt(pat, p + 1, str, s, state)) return true;
        if (state.skip) return false;
        s++;
      }
      state.skip = true;
      return false;
    } else if (c === 0x3f) {
      s++;
    } else if (c === 0x5b) {
      p++;
      const not = pat[p] === 0x5e;
      if (not) p++;
      let match = false;
      for (;;) {
        if (pat[p] === 0x5c && pat.length - p >= 2) {
          p++;
          if (pat[p] === str[s]) match = true;
        } else if (pat[p] === 0x5d) {
          break;
        } else if (p >= pat.length) {
          p--;
          break;
        } else if (pat.length - p >= 3 && pat[p + 1] === 0x2d) {
          let lo = pat[p] as number;
          let hi = pat[p + 2] as number;
          if (lo > hi) [lo, hi] = [hi, lo];
          const ch = str[s] as number;
          if (ch >= lo && ch <= hi) match = true;
          p += 2;
        } else if (pat[p] === str[s]) {
          match = true;
        }
        p++;
      }
      if (not) match = !match;
      if (!match) return false;
      s++;
    } else {
      if (c === 0x5c && pat.length - p >= 2) p++;
      if (pat[p] !== str[s]) return false;
      s++;
    }
    p++;
    if (s === str.length) {
      while (pat[p] === 0x2a) p++;
      break;
    }
  }
  return p >= pat.length && s === str.length;
}
