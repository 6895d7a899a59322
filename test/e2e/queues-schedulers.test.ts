import Bull from 'bull';
import { Queue } from 'bullmq';
import { Queue as Queue5 } from 'bullmq512';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane } from '../helpers/tmux.js';
import { waitFor } from '../helpers/queues-fixture.js';

/**
 * `queues schedulers`: job schedulers written by BullMQ 6 (cron with a time zone, `every` with a
 * limit), a legacy repeatable of BullMQ 5.12 and of Bull 4, and a broken member without its
 * hash, which the read must leave where it is (BullMQ's getter deletes it). `remove` goes
 * through BullMQ with the usual guards.
 */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });

beforeAll(async () => {
  server = await startRedis({ config: ['enable-debug-command yes'] });
  const q = new Queue('email', { connection: connection() });
  await q.upsertJobScheduler(
    'nightly-digest',
    { pattern: '0 3 * * *', tz: 'Europe/Paris' },
    { name: 'digest', data: { kind: 'daily' }, opts: { attempts: 3 } },
  );
  await q.upsertJobScheduler('heartbeat', { every: 30_000, limit: 100 }, { name: 'beat' });
  // A member left without its hash (a partial delete, a hand edit): "broken".
  await server.client().zadd('bull:email:repeat', Date.now() + 60_000, 'ghost');
  await q.close();
  const old = new Queue5('old', { connection: connection() });
  await old.add('legacy-report', { r: 1 }, { repeat: { pattern: '*/5 * * * *' } });
  await old.close();
  // The app upgraded to BullMQ 6: its Queue writes meta.version, the legacy repeatable stays.
  const upgraded = new Queue('old', { connection: connection() });
  await upgraded.waitUntilReady();
  await upgraded.close();
  const bull = new Bull('ancient', { redis: { host: '127.0.0.1', port: server.port } });
  await bull.add('tick', {}, { repeat: { every: 60_000 } });
  await bull.close();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const url = () => server.url;

describe('queues schedulers <queue>', () => {
  it('lists schedulers with pattern or interval, next run, template and iterations, and deletes nothing', async () => {
    const admin = server.client();
    const digest = String(await admin.call('DEBUG', 'DIGEST'));
    const { json, run } = await runJson(['queues', 'schedulers', 'email', '--url', url()]);
    expect(run.exitCode).toBe(0);
    expect(json.total).toBe(3);
    expect(json.complete).toBe(true);
    const byId = Object.fromEntries(json.schedulers.map((s: { id: string }) => [s.id, s]));
    expect(byId['nightly-digest']).toMatchObject({
      kind: 'scheduler',
      pattern: '0 3 * * *',
      tz: 'Europe/Paris',
      every: null,
      template: { name: 'digest', data: { kind: 'daily' }, opts: { attempts: 3 } },
      iterations: 1,
    });
    expect(byId['nightly-digest'].next).toMatch(/T0[12]:00:00\.000Z$/);
    expect(byId.heartbeat).toMatchObject({ kind: 'scheduler', every: 30_000, limit: 100, iterations: 1 });
    expect(byId.ghost).toMatchObject({ kind: 'broken', pattern: null, template: { name: null } });
    expect(String(await admin.call('DEBUG', 'DIGEST'))).toBe(digest);
    expect(await admin.zscore('bull:email:repeat', 'ghost')).not.toBeNull();

    const text = await runCli(['queues', 'schedulers', 'email', '--url', url()]);
    expect(text.stdout).toMatch(/nightly-digest +scheduler +cron 0 3 \* \* \* \(Europe\/Paris\) +\d{4}-/);
    expect(text.stdout).toMatch(/heartbeat +scheduler +every 30s .* beat +1 of 100/);
    expect(text.stdout).toContain(
      "1 broken: listed in bull:email:repeat without their hash (BullMQ's getJobSchedulers() would delete them; this read did not)",
    );
  });

  it('legacy repeatables of BullMQ 5.12 (hash, no iterations) and Bull 4 (key-shaped)', async () => {
    const { json } = await runJson(['queues', 'schedulers', 'old', '--url', url()]);
    expect(json.schedulers).toHaveLength(1);
    expect(json.schedulers[0]).toMatchObject({
      kind: 'legacy',
      pattern: '*/5 * * * *',
      iterations: null,
      template: { name: 'legacy-report' },
    });
    const bull = await runJson(['queues', 'schedulers', 'ancient', '--url', url()]);
    expect(bull.json.schedulers[0]).toMatchObject({
      kind: 'legacy',
      every: 60_000,
      template: { name: 'tick' },
    });
  });

  it('--limit reads the first n (next to run first) and says the list is incomplete', async () => {
    const { json } = await runJson(['queues', 'schedulers', 'email', '--limit', '1', '--url', url()]);
    expect(json).toMatchObject({ total: 3, complete: false });
    expect(json.schedulers).toHaveLength(1);
  });
});

describe('queues schedulers <queue> remove <id>', () => {
  it('--dry-run shows the plan; no terminal and no --yes refuses; --yes removes it and its next job', async () => {
    const admin = server.client();
    const next = await admin.zscore('bull:email:repeat', 'nightly-digest');
    const nextJob = `repeat:nightly-digest:${next}`;
    expect(await admin.zscore('bull:email:delayed', nextJob)).not.toBeNull();

    const args = ['queues', 'schedulers', 'email', 'remove', 'nightly-digest', '--url', url()];
    const dry = await runJson([...args, '--dry-run']);
    expect(dry.json).toMatchObject({
      id: 'nightly-digest',
      kind: 'scheduler',
      dryRun: true,
      removed: null,
      nextJob,
    });
    expect(dry.run.stderr).toContain(
      `remove job scheduler "nightly-digest" of bull:email (cron 0 3 * * * (Europe/Paris)) and its next job ${nextJob} in delayed`,
    );
    const refused = await runCli(args);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('refusing to remove without confirmation: no terminal to ask on');
    expect(await admin.zscore('bull:email:repeat', 'nightly-digest')).not.toBeNull();

    const done = await runJson([...args, '--yes']);
    expect(done.json).toMatchObject({ dryRun: false, removed: true, nextJob });
    expect(await admin.zscore('bull:email:repeat', 'nightly-digest')).toBeNull();
    expect(await admin.exists('bull:email:repeat:nightly-digest')).toBe(0);
    expect(await admin.zscore('bull:email:delayed', nextJob)).toBeNull();
    expect(await admin.exists(`bull:email:${nextJob}`)).toBe(0);
    expect(await admin.zscore('bull:email:repeat', 'heartbeat')).not.toBeNull();
  });

  it('after an upgrade to BullMQ 6, a legacy repeatable of 5.12 is removed with its next delayed job', async () => {
    const admin = server.client();
    const [member, score] = await admin.zrange('bull:old:repeat', '0', '0', 'WITHSCORES');
    const nextJob = `repeat:${member}:${score}`;
    expect(await admin.zscore('bull:old:delayed', nextJob)).not.toBeNull();
    const { json } = await runJson([
      'queues',
      'schedulers',
      'old',
      'remove',
      String(member),
      '--yes',
      '--url',
      url(),
    ]);
    expect(json).toMatchObject({ kind: 'legacy', removed: true, nextJob });
    expect(await admin.zcard('bull:old:repeat')).toBe(0);
    expect(await admin.zscore('bull:old:delayed', nextJob)).toBeNull();
  });

  it('on a terminal it asks first: n changes nothing, y removes', async () => {
    const admin = server.client();
    const ask = async (answer: string): Promise<{ code: number; screen: string }> => {
      const p = openPane(['queues', 'schedulers', 'email', 'remove', 'heartbeat', '--url', url()], {
        width: 120,
      });
      try {
        await waitFor(async () => p.capture().join('\n').includes('?'), 15_000, 'the question');
        p.keys(answer, 'Enter');
        const code = await p.done();
        return { code, screen: p.capture().join('\n') };
      } finally {
        p.kill();
      }
    };
    const no = await ask('n');
    expect(no.screen).toContain('remove job scheduler "heartbeat" of bull:email (every 30s)');
    expect(no.code).toBe(130);
    expect(await admin.zscore('bull:email:repeat', 'heartbeat')).not.toBeNull();
    const yes = await ask('y');
    expect(yes.code).toBe(0);
    expect(yes.screen).toContain('removed "heartbeat" of bull:email');
    expect(await admin.zscore('bull:email:repeat', 'heartbeat')).toBeNull();
  });

  it('an unknown id, an unknown action and a Bull queue are refused with exit 2, nothing written', async () => {
    const a = await runCli(['queues', 'schedulers', 'email', 'remove', 'nope', '--yes', '--url', url()]);
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toContain('no scheduler "nope" in bull:email');
    const b = await runCli(['queues', 'schedulers', 'email', 'delete', 'x', '--url', url()]);
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toContain('unknown schedulers action: delete');
    const admin = server.client();
    const member = (await admin.zrange('bull:ancient:repeat', '0', '0'))[0] as string;
    const c = await runCli(['queues', 'schedulers', 'ancient', 'remove', member, '--yes', '--url', url()]);
    expect(c.exitCode).toBe(2);
    expect(c.stderr).toContain('it has no BullMQ meta version');
    expect(await admin.exists('bull:ancient:meta')).toBe(0);
  });
});
