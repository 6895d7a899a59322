import type { Redis } from 'ioredis';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from '../../src/redis/byte-args.js';
import { compileGlob } from '../../src/redis/glob.js';
import { binPath, runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The one byte-level glob matcher against the server's own MATCH, on every case below, and
 * binary prefixes end to end (`\xNN` escapes; U+FFFD refused). `[a-é]` is the case that
 * decides: the server compares class ranges as signed chars (glob.ts).
 */
let server: RedisServer;
let client: Redis;
const keys: Buffer[] = [];

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

beforeAll(async () => {
  server = await startRedis();
  client = server.client();
  for (let i = 0; i < 256; i++) keys.push(Buffer.from([i]), Buffer.from([i, 0x78]), Buffer.from([0x61, i]));
  for (const s of [
    'é',
    'ÿ',
    'bull:q:wait',
    'abc',
    'a-c',
    'a]',
    '[x]',
    'a\\b',
    'hello',
    'hallo',
    'h]llo',
    '日本',
  ])
    keys.push(b(s));
  keys.push(Buffer.from([0xc3, 0xa9, 0x3a, 0x31]), Buffer.from([0xff, 0x3a, 0x31]));
  const unique = [...new Map(keys.map((k) => [k.toString('hex'), k])).values()];
  keys.length = 0;
  keys.push(...unique);
  const p = client.pipeline();
  for (const k of keys) p.set(k, '1');
  await p.exec();
});
afterAll(async () => {
  await server?.stop();
});

async function serverMatch(pattern: Buffer): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    // callBuffer: the typed scanBuffer takes a string pattern only, and these are bytes.
    const [next, batch] = (await client.callBuffer('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)) as [
      Buffer,
      Buffer[],
    ];
    cursor = next.toString();
    for (const k of batch) out.push(k.toString('hex'));
  } while (cursor !== '0');
  return out.sort();
}

// Patterns as typed on a command line (\xNN escapes decoded by patternBytes), and raw bytes.
const typed = [
  '[a-é]*',
  '[é-a]*',
  '[^a-é]*',
  '[a-é]',
  '[a-\\xff]*',
  '[\\x80-\\xff]',
  '[\\x00-\\x7f]x',
  '[\\x7f-\\x80]',
  '[a-]*',
  '[-a]',
  '[]*',
  '[^]*',
  '[abc',
  'a[',
  'a[^',
  '\\*',
  '*\\',
  'a\\',
  '?',
  '??',
  '?x',
  '[!a]',
  '[^]]*',
  '[\\]]*',
  '[a-c-e]*',
  '[z-a]*',
  'h*llo',
  'h[^e]llo',
  'h[]]llo',
  '*:1',
  '\\xc3*',
  '\\xff:*',
  '*\\xa9*',
  '[\\xc3]*',
  'a[\\x00-\\x1f]',
  'bull:*',
  '[b]ull:*',
  '日*',
  '[日]*',
];
const raw = [Buffer.from([0x5b, 0x61, 0x2d, 0xc3, 0x5d, 0x2a]), Buffer.from([0x5b, 0xff, 0x2d, 0x01, 0x5d])];

describe('the glob matcher agrees with the server MATCH, byte for byte', () => {
  it.each([...typed.map((t) => patternBytes(t)), ...raw].map((p) => [p.toString('hex'), p] as const))(
    'pattern %s',
    async (_hex, pattern) => {
      const ours = keys
        .filter(compileGlob(pattern))
        .map((k) => k.toString('hex'))
        .sort();
      expect(ours).toEqual(await serverMatch(pattern));
    },
  );

  it('[a-é] is a signed range on the server: 0x00-0x61 and 0xC3-0xFF, not b..z', async () => {
    const m = await serverMatch(patternBytes('[a-é]'));
    expect(m).toContain('61'); // a
    expect(m).toContain('30'); // 0
    expect(m).toContain('ff');
    expect(m).not.toContain('62'); // b
    expect(m).not.toContain('80');
  });

  it('stats --keys --match gives the same namespaces with and without --sample', async () => {
    const args = ['stats', '--keys', '--match', '[a-é]*', '--top', '1000', '--url', server.url];
    const all = await runJson(args);
    const sampled = await runJson([...args, '--sample', '100000']);
    expect(all.run.exitCode).toBe(0);
    expect(sampled.run.exitCode).toBe(0);
    const view = (j: { namespaces: Array<{ prefix: string; keys: number }> }): string[] =>
      j.namespaces.map((n) => `${n.prefix}=${n.keys}`).sort();
    expect(view(sampled.json)).toEqual(view(all.json));
    expect(all.json.namespaces.length).toBeGreaterThan(0);
  });
});

describe('binary prefixes', () => {
  it("flush '\\xff:' deletes the 0xFF keys, not the U+FFFD ones", async () => {
    const ff = Array.from({ length: 50 }, (_, i) => Buffer.concat([Buffer.from([0xff, 0x3a]), b(`k${i}`)]));
    const fffd = Array.from({ length: 20 }, (_, i) => b(`\uFFFD:k${i}`));
    const p = client.pipeline();
    for (const k of [...ff, ...fffd]) p.set(k, '1');
    await p.exec();
    const { json, run } = await runJson(['flush', '\\xff:', '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    // 50 written here, and the one \xff:1 from the parity keys.
    expect(json).toMatchObject({ status: 'done', deleted: 51, prefixes: ['\\xff:'] });
    expect(await client.exists(...fffd)).toBe(20);
    expect(await client.exists(...ff)).toBe(0);
  });

  it('a raw non-UTF-8 byte from the shell (U+FFFD in argv) is refused, nothing deleted', async () => {
    const before = await client.dbsize();
    const r = await execa('bash', ['-c', `"${binPath}" flush $'\\xff:' --yes --url ${server.url}`], {
      reject: false,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      extendEnv: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('holds U+FFFD');
    expect(r.stderr).toContain('\\xNN');
    expect(await client.dbsize()).toBe(before);
  });

  it('--dry-run and --json cut a 512 KiB name for display only', async () => {
    const long = Buffer.concat([b('big:'), Buffer.alloc(524_284, 0x61)]);
    await client.set(long, '1');
    const { json } = await runJson(['flush', 'big:', '--dry-run', '--url', server.url]);
    expect(json.sample).toHaveLength(1);
    expect(json.sample[0]).toMatch(/^big:a+…\(524,288 bytes\)$/);
    expect(json.sample[0].length).toBeLessThan(400);
    const del = await runCli(['flush', 'big:', '--yes', '--url', server.url]);
    expect(del.exitCode).toBe(0);
    expect(await client.exists(long)).toBe(0);
  });
});
