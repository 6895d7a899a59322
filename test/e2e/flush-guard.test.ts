import { Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/** The BullMQ guard, against queues made by BullMQ itself. */
let server: RedisServer;
let all: string[];

async function allKeys(): Promise<string[]> {
  const c = server.client();
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await c.scan(cursor, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  // SCAN may return a key twice while the table shrinks (after a flush deleted most of it).
  return [...new Set(out)].sort();
}

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  // Fresh data each time: queues made by BullMQ, an old queue known by its id only, and
  // keys that look queue-ish but are not queues.
  const c = server.client();
  const existingKeys = await allKeys();
  if (existingKeys.length) await c.del(...existingKeys);
  for (const name of ['emails', 'reports']) {
    const q = new Queue(name, { connection: { host: '127.0.0.1', port: server.port } });
    await q.add('send', { to: 'x' });
    await q.close();
  }
  await c.set('bull:legacy:id', '7');
  await c.lpush('bull:legacy:wait', '7'); // an old queue: its id counter and a wait list
  await c.set('cache:user:id', '42'); // a counter named id, not a queue
  await c.hset('bull:notes:meta', 'owner', 'me'); // a hash called meta, not BullMQ's
  await c.set('bull:notes:1', 'x');
  await c.set('cache:1', 'x');
  all = await allKeys();
});

const refused = (queues: string): RegExp =>
  new RegExp(
    `^✖ refusing to delete BullMQ queue keys: ${queues}\\n {2}hint: use a narrower prefix, or pass --include-queues`,
  );

/** Every key of these queues, still there. */
const queueKeys = (keys: string[]): string[] => keys.filter((k) => /^bull:(emails|reports|legacy):/.test(k));

describe('flush: the BullMQ queue guard', () => {
  it('counted (--max-keys, or a prompt): refuses a prefix that covers queues, naming them, and deletes nothing', async () => {
    const run = await runCli(['flush', 'bull:', '--yes', '--max-keys', '1000', '--url', server.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(refused('bull:emails, bull:legacy, bull:reports'));
    expect(await allKeys()).toEqual(all);
  });

  it('streaming (--yes): keeps every key of the queues it meets, deletes the rest, exit 1', async () => {
    const { json, run } = await runJson(['flush', 'bull:', '--yes', '--url', server.url]);
    expect(run.exitCode).toBe(1);
    const kept = queueKeys(all);
    expect(run.stderr).toBe(
      `✖ kept ${kept.length} keys of BullMQ queues: bull:emails, bull:legacy, bull:reports\n` +
        '  hint: pass --include-queues to delete those queues too (--dry-run lists them first)',
    );
    expect(json).toMatchObject({
      status: 'kept-queues',
      streamed: true,
      deleted: 2,
      kept: kept.length,
      matched: 2 + kept.length,
      queues: ['bull:emails', 'bull:legacy', 'bull:reports'],
    });
    expect(await allKeys()).toEqual(all.filter((k) => !k.startsWith('bull:notes:')));
  });

  it('refuses a prefix inside a queue before deleting anything; keeps one that cuts a queue name short', async () => {
    for (const [prefix, queue] of [
      ['bull:emails:completed', 'bull:emails'],
      ['bull:emails:', 'bull:emails'],
      ['bull:legacy:', 'bull:legacy'],
    ]) {
      const run = await runCli(['flush', prefix as string, '--yes', '--url', server.url]);
      expect(run.exitCode, prefix).toBe(2);
      expect(run.stderr).toMatch(refused(queue as string));
    }
    expect(await allKeys()).toEqual(all);
    const counted = await runCli(['flush', 'bull:rep', '--yes', '--max-keys', '100', '--url', server.url]);
    expect(counted.exitCode).toBe(2);
    expect(counted.stderr).toMatch(refused('bull:reports'));
    const streamed = await runCli(['flush', 'bull:rep', '--yes', '--url', server.url]);
    expect(streamed.exitCode).toBe(1);
    expect(streamed.stderr).toMatch(/^✖ kept \d+ keys of BullMQ queues: bull:reports\n/);
    expect(await allKeys()).toEqual(all);
  });

  it('refuses a raw pattern or a --type flush that reaches a queue', async () => {
    for (const args of [
      ['--pattern', 'bull:*:wait'],
      ['--pattern', '*:events'],
      ['bull:', '--type', 'hash'],
    ]) {
      const run = await runCli(['flush', ...args, '--yes', '--url', server.url]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^✖ refusing to delete BullMQ queue keys: bull:emails/);
    }
    expect(await allKeys()).toEqual(all);
  });

  it('lets through prefixes beside the queues', async () => {
    const { json, run } = await runJson([
      'flush',
      'bull:notes:',
      'bull:emailsx',
      'cache:',
      '--yes',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    expect(json).toMatchObject({ deleted: 4, queues: [] });
    expect(await allKeys()).toEqual(
      all.filter((k) => !k.startsWith('bull:notes:') && !k.startsWith('cache:')),
    );
  });

  it('a dry run names the queues it would refuse', async () => {
    const { json, run } = await runJson(['flush', 'bull:', '--dry-run', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json.queues).toEqual(['bull:emails', 'bull:legacy', 'bull:reports']);
    expect(await allKeys()).toEqual(all);
  });

  it('--include-queues deletes them', async () => {
    const { json, run } = await runJson([
      'flush',
      'bull:emails',
      '--include-queues',
      '--yes',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    expect(json.queues).toEqual(['bull:emails']);
    expect(await allKeys()).toEqual(all.filter((k) => !k.startsWith('bull:emails:')));
  });
});

describe('flush: the guard costs two pipelined commands per :id counter', () => {
  it('20k cache:u:N:id counters: no queue, at most one GET and one EXISTS each, no TYPE', async () => {
    const c = server.client();
    for (let i = 0; i < 20_000; i += 2000) {
      const p = c.pipeline();
      for (let j = i; j < i + 2000; j++) p.set(`cache:u:${j}:id`, String(j));
      await p.exec();
    }
    await c.config('RESETSTAT');
    const { json, run } = await runJson(['flush', 'cache:', '--dry-run', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(json.queues).toEqual([]);
    const stats = await c.info('commandstats');
    const calls = (cmd: string): number =>
      Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    // cache:user:id from beforeEach is a counter too; SCAN may return a key twice while the
    // table rehashes, hence the small slack.
    for (const cmd of ['get', 'exists']) {
      expect(calls(cmd)).toBeGreaterThanOrEqual(20_001);
      expect(calls(cmd)).toBeLessThan(20_200);
    }
    expect(calls('type')).toBe(0);
  });
});

describe('flush: streaming meets queues after deleting began', () => {
  it('5,000 keys around the queues: no queue key goes, through the script and where EVAL is denied', async () => {
    const c = server.client();
    await c.acl('SETUSER', 'noeval', 'on', '>pw', '~*', '&*', '+@all', '-eval');
    const queues = queueKeys(all);
    for (const [url, scripted] of [
      [server.url, true],
      [`redis://noeval:pw@127.0.0.1:${server.port}`, false],
    ] as const) {
      const p = c.pipeline();
      // Plain keys, some with ':' past the prefix (the script looks those bases up), beside the queues.
      for (let i = 0; i < 5000; i++) p.set(i % 2 ? `bull:x:${i}` : `bull:x:${i}:part`, 'v');
      await p.exec();
      await c.config('RESETSTAT');
      // A small COUNT: many calls, so queue keys are met after deletions began.
      const { json, run } = await runJson(['flush', 'bull:', '--yes', '--count', '50', '--url', url]);
      expect(run.exitCode, url).toBe(1);
      expect(json).toMatchObject({
        status: 'kept-queues',
        kept: queues.length,
        queues: ['bull:emails', 'bull:legacy', 'bull:reports'],
      });
      expect(json.deleted).toBeGreaterThanOrEqual(5000);
      expect((await allKeys()).filter((k) => k.startsWith('bull:'))).toEqual(queues);
      const evals = /cmdstat_eval:calls=(\d+)/.exec(await c.info('commandstats'))?.[1] ?? '0';
      expect(Number(evals) > 0, url).toBe(scripted);
    }
  });
});
