import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import {
  existing,
  lookAlikes,
  numbered,
  PREFIX,
  show,
  trickyInside,
  untouched,
  writeKeys,
} from '../helpers/flush-data.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

const servers: RedisServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A fresh server with the tricky namespace (+ n numbered keys) beside look-alikes and other keys. */
async function seeded(
  n = 500,
  config: string[] = [],
): Promise<{ server: RedisServer; inside: Buffer[]; outside: Buffer[] }> {
  const server = await startRedis({ config });
  servers.push(server);
  const inside = [...trickyInside(), ...numbered(PREFIX, n)];
  const outside = [...lookAlikes(), ...numbered('other:', 300), ...numbered('cache:page:v:n', 50)];
  await writeKeys(server.client(), [...inside, ...outside]);
  return { server, inside, outside };
}

async function expectOnlyInsideGone(server: RedisServer, inside: Buffer[], outside: Buffer[]): Promise<void> {
  const c = server.client();
  expect(show(await existing(c, inside))).toEqual([]);
  expect(show(await existing(c, outside))).toHaveLength(outside.length);
  expect(show(await untouched(c, outside))).toEqual([]);
}

describe('flush: deletes exactly the namespace', () => {
  it('--yes --json deletes every key inside, key by key, and nothing outside', async () => {
    const { server, inside, outside } = await seeded();
    const { json, run } = await runJson(['flush', PREFIX, '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(json).toMatchObject({
      prefixes: [PREFIX],
      pattern: 'cache:page:\\[v1\\]:*',
      dryRun: false,
      status: 'done',
      matched: inside.length,
      deleted: inside.length,
      nodes: 1,
      perNode: [{ node: `127.0.0.1:${server.port}`, matched: inside.length, deleted: inside.length }],
      queues: [],
      error: null,
    });
    expect(json.sample).toHaveLength(10);
    for (const key of json.sample) expect(key.startsWith(PREFIX)).toBe(true);
    await expectOnlyInsideGone(server, inside, outside);
  });

  it('prints one result line without --json', async () => {
    const { server, inside } = await seeded(20);
    const run = await runCli(['flush', PREFIX, '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^✔ deleted ${inside.length} keys matching cache:page:\\\\\\[v1\\\\\\]:\\* on 1 node in \\d+ ms$`,
      ),
    );
    expect(run.stderr).toBe('');
  });

  it('several prefixes, one of them covering another', async () => {
    const { server, inside, outside } = await seeded(50);
    const { json, run } = await runJson([
      'flush',
      PREFIX,
      'other:1',
      `${PREFIX}1`,
      '--yes',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    const other1 = outside.filter((k) => k.toString().startsWith('other:1'));
    expect(json).toMatchObject({
      prefixes: [PREFIX, 'other:1'],
      pattern: null,
      patterns: ['cache:page:\\[v1\\]:*', 'other:1*'],
    });
    expect(json.deleted).toBe(inside.length + other1.length);
    await expectOnlyInsideGone(
      server,
      [...inside, ...other1],
      outside.filter((k) => !other1.includes(k)),
    );
  });

  it('asks the server what it is once per connection, not once per prefix (INFO calls)', async () => {
    const { server } = await seeded(50);
    const c = server.client();
    const infoCalls = async (prefixes: string[]): Promise<number> => {
      await c.config('RESETSTAT');
      const { run } = await runJson(['flush', ...prefixes, '--yes', '--url', server.url]);
      expect(run.exitCode).toBe(0);
      return Number(/cmdstat_info:calls=(\d+)/.exec(await c.info('commandstats'))?.[1] ?? 0);
    };
    const one = await infoCalls(['a:']);
    expect(one).toBeGreaterThan(0);
    expect(await infoCalls(['a:', 'b:', 'c:', 'd:'])).toBe(one);
  });

  it('--type deletes only keys of that type', async () => {
    const { server, inside, outside } = await seeded(10);
    const c = server.client();
    const hashes = [`${PREFIX}h1`, `${PREFIX}h 2`].map((k) => Buffer.from(k));
    for (const h of hashes) await c.hset(h, 'f', 'v');
    await c.rpush(`${PREFIX}list`, 'a');
    const { json, run } = await runJson(['flush', PREFIX, '--type', 'hash', '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ type: 'hash', matched: 2, deleted: 2 });
    expect(await existing(c, hashes)).toEqual([]);
    expect(await existing(c, [...inside, ...outside, Buffer.from(`${PREFIX}list`)])).toHaveLength(
      inside.length + outside.length + 1,
    );
  });

  it('a raw --pattern is used as is', async () => {
    const { server, outside } = await seeded(10);
    const { json, run } = await runJson([
      'flush',
      '--pattern',
      'cache:page:[v1]:*',
      '--yes',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    // Unescaped, [v1] is a class: it matches cache:page:v:* and cache:page:1:*, not the namespace.
    const expected = outside.filter((k) => /^cache:page:[v1]:/.test(k.toString('latin1')));
    expect(json.deleted).toBe(expected.length);
    expect(await existing(server.client(), expected)).toEqual([]);
  });

  it('falls back to DEL where UNLINK does not exist', async () => {
    const { server, inside, outside } = await seeded(30, ['rename-command UNLINK ""']);
    const { json, run } = await runJson(['flush', PREFIX, '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json.deleted).toBe(inside.length);
    await expectOnlyInsideGone(server, inside, outside);
  });
});

describe('flush: safety', () => {
  it('--dry-run counts, samples and deletes nothing', async () => {
    const { server, inside, outside } = await seeded(40);
    const { json, run } = await runJson(['flush', PREFIX, '--dry-run', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({
      dryRun: true,
      status: 'dry-run',
      matched: inside.length,
      deleted: 0,
      perNode: [{ matched: inside.length, deleted: 0 }],
    });
    expect(json.sample).toHaveLength(10);
    expect(await existing(server.client(), [...inside, ...outside])).toHaveLength(
      inside.length + outside.length,
    );
    const human = await runCli(['flush', PREFIX, '--dry-run', '--url', server.url]);
    expect(human.stdout.split('\n')[0]).toBe(
      `${inside.length} keys match cache:page:\\[v1\\]:* on 1 node of redis://127.0.0.1:${server.port}`,
    );
    expect(human.stdout).toMatch(/\ndry run: nothing was deleted$/);
  });

  it('shows binary names escaped in the sample', async () => {
    const server = await startRedis();
    servers.push(server);
    await writeKeys(server.client(), [Buffer.concat([Buffer.from(PREFIX), Buffer.from([0xff, 0x0a])])]);
    const { json } = await runJson(['flush', PREFIX, '--dry-run', '--url', server.url]);
    expect(json.sample).toEqual(['cache:page:[v1]:\\xff\\x0a']);
  });

  it('without a terminal and without --yes: exit 2, nothing deleted', async () => {
    const { server, inside, outside } = await seeded(10);
    const run = await runCli(['flush', PREFIX, '--url', server.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      '✖ refusing to delete without confirmation: there is no terminal to ask on\n  hint: check with --dry-run first, then pass --yes to delete without a prompt',
    );
    expect(await existing(server.client(), [...inside, ...outside])).toHaveLength(
      inside.length + outside.length,
    );
  });

  it('refuses an empty prefix and a match-everything pattern before connecting', async () => {
    for (const args of [
      ['flush', '', '--yes'],
      ['flush', '--pattern', '*', '--yes'],
      ['flush', '--yes'],
    ]) {
      const run = await runCli([...args, '--url', 'redis://127.0.0.1:1']);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(
        /^✖ (an empty prefix matches every key|the pattern "\*" matches every key|no prefix given)\n {2}hint: /,
      );
    }
  });

  it('refuses bad numbers', async () => {
    const run = await runCli(['flush', PREFIX, '--rate', 'fast', '--url', 'redis://127.0.0.1:1']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('✖ invalid --rate: fast\n  hint: give a whole number ≥ 1, e.g. --rate 10');
  });

  it('--max-keys aborts before deleting anything when more keys match', async () => {
    const { server, inside, outside } = await seeded(100);
    const { json, run } = await runJson(['flush', PREFIX, '--yes', '--max-keys', '50', '--url', server.url]);
    expect(run.exitCode).toBe(1);
    expect(json).toMatchObject({ status: 'max-keys', maxKeys: 50, deleted: 0 });
    expect(await existing(server.client(), [...inside, ...outside])).toHaveLength(
      inside.length + outside.length,
    );
    const enough = await runJson([
      'flush',
      PREFIX,
      '--yes',
      '--max-keys',
      String(inside.length),
      '--url',
      server.url,
    ]);
    expect(enough.run.exitCode).toBe(0);
    expect(enough.json.deleted).toBe(inside.length);
  });

  it('where EVAL is denied, streaming deletes exactly the namespace too (SCAN + UNLINK from us)', async () => {
    const { server, inside, outside } = await seeded(2000);
    const c = server.client();
    await c.acl('SETUSER', 'noeval', 'on', '>pw', '~*', '&*', '+@all', '-eval');
    await c.config('RESETSTAT');
    const url = `redis://noeval:pw@127.0.0.1:${server.port}`;
    const { json, run } = await runJson(['flush', PREFIX, '--yes', '--url', url]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({
      status: 'done',
      streamed: true,
      matched: inside.length,
      deleted: inside.length,
    });
    expect(await c.info('commandstats')).toMatch(/cmdstat_eval:calls=0,.*rejected_calls=[1-9]/);
    await expectOnlyInsideGone(server, inside, outside);
  });

  it('streaming cuts a 512 KiB name in the sample, never in what it deletes (script and no-EVAL paths)', async () => {
    const server = await startRedis();
    servers.push(server);
    const c = server.client();
    await c.acl('SETUSER', 'noeval', 'on', '>pw', '~*', '&*', '+@all', '-eval');
    const long = Buffer.concat([Buffer.from('big:'), Buffer.alloc(524_284, 0x61)]);
    for (const url of [server.url, `redis://noeval:pw@127.0.0.1:${server.port}`]) {
      await c.set(long, '1');
      await c.set(Buffer.concat([long, Buffer.from('b')]), '1'); // the same start, one byte longer
      const { json, run } = await runJson(['flush', 'big:', '--yes', '--url', url]);
      expect(run.exitCode, url).toBe(0);
      expect(json.deleted).toBe(2);
      expect(json.sample).toHaveLength(2);
      for (const shown of json.sample) {
        expect(shown).toMatch(/^big:a+…\((524,288|524,289) bytes\)$/);
        expect(shown.length).toBeLessThan(400);
      }
      expect(await c.dbsize()).toBe(0);
    }
  });

  it('a connection error is exit 2 with a hint', async () => {
    const run = await runCli(['flush', PREFIX, '--yes', '--url', 'redis://127.0.0.1:1', '--timeout', '1000']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^✖ cannot connect to redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED.*\n {2}hint: /);
  });
});
