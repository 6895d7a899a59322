import { describe, expect, it } from 'vitest';
import { renderKeys, toKeysJson } from '../../src/commands/stats/render-keys.js';

describe('stats renderers', () => {
  it('--keys: escaped binary prefixes, unknown memory, estimates marked', () => {
    const r = {
      scanned: 10,
      estimated: true,
      memoryKnown: false,
      totalNamespaces: 1,
      approximate: false,
      other: null,
      ownLookups: { hits: 20, misses: 0 },
      failed: [],
      namespaces: [
        {
          prefix: Buffer.from([0xff, 0x3a]),
          keys: 100,
          bytes: null,
          noTtlKeys: 50,
          types: { string: 100 },
          elements: 0,
        },
      ],
      biggest: [],
      mostElements: [],
      hot: null,
    };
    expect(toKeysJson(r)).toMatchObject({ namespaces: [{ prefix: '\\xff:', keys: 100, bytes: null }] });
    const text = renderKeys(r, 'redis://x');
    expect(text).toMatch(/\\xff:\*\s+│\s+~100\s+│\s+unknown\s+│\s+█{10}\s+│\s+50\.0%/);
    expect(text).toMatch(/memory is unknown/);
  });
  it('--keys: folded prefixes show as one "other" row, marked approximate', () => {
    const r = {
      scanned: 300,
      estimated: false,
      memoryKnown: true,
      totalNamespaces: 1001,
      approximate: true,
      other: { prefixes: 1000, keys: 100, bytes: 1000, noTtlKeys: 0 },
      ownLookups: { hits: 600, misses: 0 },
      failed: [],
      namespaces: [
        {
          prefix: Buffer.from('a:'),
          keys: 200,
          bytes: 3000,
          noTtlKeys: 0,
          types: { string: 200 },
          elements: 0,
        },
      ],
      biggest: [],
      mostElements: [],
      hot: null,
    };
    const text = renderKeys(r, 'redis://x');
    expect(text).toMatch(/^approximate: /m);
    expect(text).toMatch(/a:\*\s+│\s+200\s+│\s+2\.9 KiB\s+│\s+███████▌\s+│/);
    expect(text).toMatch(/other \(1,000 prefixes\)\s+│\s+~100/);
    expect(text).not.toMatch(/more namespaces/);
    expect(toKeysJson(r)).toMatchObject({ approximate: true, other: { prefixes: 1000 } });
  });
});
