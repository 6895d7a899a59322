import type { Cluster, Redis } from 'ioredis';

/**
 * Generated keyspaces for the flush tests: a namespace full of awkward names beside look-alike
 * keys outside it, so "everything inside is gone, everything outside untouched" can be checked
 * key by key. Keys are Buffers: some are not UTF-8.
 */
export const PREFIX = 'cache:page:[v1]:';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const inside = (tail: string | Buffer): Buffer =>
  Buffer.concat([b(PREFIX), typeof tail === 'string' ? b(tail) : tail]);

export function trickyInside(): Buffer[] {
  return [
    inside(''),
    inside("it's"),
    inside('say "hi"'),
    inside('with space'),
    inside('two  spaces\tand tab'),
    inside('line\nbreak'),
    inside('cr\r\nlf'),
    inside('[x]*?\\'),
    inside('\\[v1\\]'),
    inside('*'),
    inside(Buffer.from([0xff, 0x00, 0xfe, 0x0a])),
    inside(Buffer.from([0xc3, 0x28])), // invalid UTF-8
    inside('ünïcødé ✓ 日本'),
    inside('$(rm -rf /)'),
    inside('-n'),
  ];
}

/** What an unescaped `cache:page:[v1]:*` would match, and other near misses. */
export function lookAlikes(): Buffer[] {
  return [
    b('cache:page:v:1'),
    b('cache:page:1:1'),
    b('cache:page:[v1]'),
    b('cache:page:[v1]x'),
    b('cache:page:[v2]:1'),
    b('cache:page:\\[v1]:1'),
    b('Cache:page:[v1]:1'),
    b('xcache:page:[v1]:1'),
    b(' cache:page:[v1]:1'),
    b('cache:page:[v1;1'),
    b('cache:page:'),
    b('cache:'),
    Buffer.from([0x63, 0x61, 0xff, 0x00]),
    b("it's"),
    b('with space'),
  ];
}

export function numbered(prefix: string, n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => b(`${prefix}${i}`));
}

/** Write each key as a string whose value is its own name (so "untouched" can compare values). */
export async function writeKeys(client: Redis | Cluster, keys: Buffer[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) {
    await Promise.all(keys.slice(i, i + 500).map((k) => client.set(k, k)));
  }
}

/** Which of these keys still exist (one EXISTS per key: works through a cluster client too). */
export async function existing(client: Redis | Cluster, keys: Buffer[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const flags = await Promise.all(chunk.map((k) => client.exists(k)));
    chunk.forEach((k, j) => flags[j] === 1 && out.push(k));
  }
  return out;
}

/** Keys outside must still hold their own name as value. */
export async function untouched(client: Redis | Cluster, keys: Buffer[]): Promise<Buffer[]> {
  const values = await Promise.all(keys.map((k) => client.getBuffer(k)));
  return keys.filter((k, i) => !values[i]?.equals(k));
}

export const show = (keys: Buffer[]): string[] => keys.map((k) => JSON.stringify(k.toString('latin1')));
