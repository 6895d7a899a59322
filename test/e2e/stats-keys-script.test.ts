import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * `stats --keys` reads inside the server on a standalone server (src/redis/key-script.ts, in
 * four cursor segments): its figures must be the pipelined reads' figures exactly, on every
 * type, TTLs, binary names, depths and --match; where EVAL is denied it falls back to them; it
 * works on a read-only replica. The pipelined reads are what `--sample` larger than the
 * database runs (a walk of every key, scale 1).
 */
let server: RedisServer;
let noScripts: RedisServer;
let replica: RedisServer;
const total = 30_000; // many segment edges crossed at COUNT 1000

async function load(s: RedisServer): Promise<void> {
  const c = s.client();
  const p = c.pipeline();
  for (let i = 0; i < total - 500; i++) {
    const ns = i % 5;
    if (ns === 0) p.set(`cache:page:${i}`, 'x'.repeat(i % 97));
    else if (ns === 1) p.set(`session:${i}`, 'y', 'EX', 3600);
    else if (ns === 2) p.hset(`user:${i}:profile`, 'name', `n${i}`, 'email', `e${i}`);
    else if (ns === 3) p.set(Buffer.from([0xff, 0x3a, i & 0xff, (i >> 8) & 0xff, i >> 16]), 'b');
    else p.set(`plain${i}`, 'v');
  }
  for (let i = 0; i < 100; i++) {
    p.rpush(`list:${i}`, ...Array.from({ length: (i % 7) + 1 }, (_, j) => `j${j}`));
    p.sadd(`set:${i}`, ...Array.from({ length: (i % 5) + 1 }, (_, j) => `m${j}`));
    p.zadd(`zset:${i}`, 1, 'a', 2, 'b');
    p.xadd(`stream:${i}`, '*', 'n', '1');
    p.hset(`user:${i}:big`, ...Array.from({ length: 40 + i }, (_, j) => [`f${j}`, 'v']).flat());
    p.pexpire(`list:${i}`, 600_000);
  }
  await p.exec();
}

beforeAll(async () => {
  [server, noScripts] = await Promise.all([
    startRedis(),
    startRedis({ acl: ['user app on >app-pw ~* &* +@all -@scripting'] }),
  ]);
  await Promise.all([load(server), load(noScripts)]);
  replica = await startRedis({ config: [`replicaof 127.0.0.1 ${server.port}`] });
  const r = replica.client();
  for (let i = 0; i < 200; i++) {
    if (/master_link_status:up/.test(await r.info('replication')) && (await r.dbsize()) === total) break;
    await new Promise((res) => setTimeout(res, 50));
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), noScripts?.stop(), replica?.stop()]);
});

type Json = Record<string, unknown> & {
  scanned: number;
  biggest: Array<{ bytes: number }>;
  mostElements: Array<{ elements: number }>;
};

async function keys(url: string, extra: string[] = []): Promise<Json> {
  const { json, run } = await runJson(['stats', '--keys', '--url', url, ...extra]);
  expect(run.exitCode, run.stderr).toBe(0);
  return json as Json;
}

async function commandCalls(s: RedisServer, url: string, extra: string[] = []) {
  const c = s.client();
  await c.config('RESETSTAT');
  const json = await keys(url, extra);
  const stats = await c.info('commandstats');
  const calls = (cmd: string): number =>
    Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  return { json, eval: calls('eval'), type: calls('type') };
}

/** Everything but the order of equal-sized keys (ties are broken by arrival). */
function comparable(j: Json): unknown {
  const { biggest, mostElements, ...rest } = j;
  return {
    ...rest,
    biggest: biggest.map((b) => b.bytes),
    mostElements: mostElements.map((b) => b.elements),
  };
}

describe('stats --keys inside the server', () => {
  it.each([[[]], [['--depth', '2']], [['--match', 'user:*']], [['--delimiter', 'e', '--depth', '3']]])(
    'gives the pipelined reads’ figures exactly (%j)',
    async (extra) => {
      const scripted = await commandCalls(server, server.url, extra);
      const piped = await commandCalls(server, server.url, [...extra, '--sample', String(10 * total)]);
      expect(scripted.eval).toBeGreaterThan(0);
      expect(piped.eval).toBe(0);
      if (extra.length === 0) expect(scripted.json.scanned).toBe(total); // no key counted twice or missed
      // `scanned` is what the walk met: with --sample every key (the match is ours), else the matches.
      const { scanned: _a, ...ours } = comparable(scripted.json) as Json;
      const { scanned: _b, ...theirs } = comparable(piped.json) as Json;
      expect(ours).toEqual(theirs);
    },
  );

  it('falls back to the pipelined reads where EVAL is denied, with the same figures', async () => {
    const url = `redis://app:app-pw@127.0.0.1:${noScripts.port}`;
    const denied = await keys(url);
    const piped = await keys(url, ['--sample', String(10 * total)]);
    expect(denied.scanned).toBe(total);
    expect(comparable(denied)).toEqual(comparable(piped));
    const scripted = await keys(server.url);
    // Same data on both servers: the same namespaces and sizes.
    expect((comparable(denied) as { namespaces: unknown }).namespaces).toEqual(
      (comparable(scripted) as { namespaces: unknown }).namespaces,
    );
  });

  it('reads a read-only replica the same way', async () => {
    const fromReplica = await commandCalls(replica, replica.url);
    expect(fromReplica.eval).toBeGreaterThan(0);
    expect(fromReplica.json.scanned).toBe(total);
    // Memory differs between the two (a replica loads its data from the RDB), and so the ranking
    // by memory: the counts do not.
    const counts = (j: Json): unknown =>
      (j.namespaces as Array<Record<string, unknown>>)
        .map(({ bytes: _bytes, ...n }) => n)
        .sort((a, b) => String(a.prefix).localeCompare(String(b.prefix)));
    const fromPrimary = await keys(server.url);
    expect(counts(fromReplica.json)).toEqual(counts(fromPrimary));
  });
});
