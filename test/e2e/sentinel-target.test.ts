import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { startSentinelTopology, type SentinelTopology } from '../helpers/sentinel.js';

// One topology for the file: the sentinels have their own password, different from the data one.
const DATA_PW = 'data-Secret-pw1';
const SENT_PW = 'sent-Secret-pw2';
let t: SentinelTopology;

beforeAll(async () => {
  t = await startSentinelTopology({ password: DATA_PW, sentinelPassword: SENT_PW });
});

afterAll(async () => {
  await t?.stop();
});

function noSecrets(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(DATA_PW);
    expect(text).not.toContain(SENT_PW);
  }
}

describe('sentinel targets', () => {
  it('stats through a redis+sentinel:// URL reads the primary, both passwords masked', async () => {
    const { json, run } = await runJson(['stats', '--url', t.url()]);
    expect(run.exitCode).toBe(0);
    expect(json.nodes[0]).toMatchObject({ address: `127.0.0.1:${t.primary.port}`, role: 'master' });
    expect(json.target).toBe(
      `redis+sentinel://default:***@${t.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/mymaster?sentinelPassword=***`,
    );
    noSecrets(run.stdout, run.stderr);
  });

  it('takes --sentinel (repeatable), --master, --sentinel-password and REDIS_PASSWORD', async () => {
    const [a, b] = t.sentinels;
    const { json, run } = await runJson(
      [
        'stats',
        '--sentinel',
        `127.0.0.1:${a?.port}`,
        '--sentinel',
        `127.0.0.1:${b?.port}`,
        '--master',
        'mymaster',
        '--sentinel-password',
        SENT_PW,
      ],
      { env: { REDIS_PASSWORD: DATA_PW } },
    );
    expect(run.exitCode).toBe(0);
    expect(json.nodes[0].address).toBe(`127.0.0.1:${t.primary.port}`);
    noSecrets(run.stdout, run.stderr);
  });

  it('takes REDIS_SENTINELS and REDIS_SENTINEL_MASTER from the environment', async () => {
    const { json, run } = await runJson(['stats'], {
      env: {
        REDIS_SENTINELS: t.sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
        REDIS_SENTINEL_MASTER: 'mymaster',
        REDIS_SENTINEL_PASSWORD: SENT_PW,
        REDIS_PASSWORD: DATA_PW,
      },
    });
    expect(run.exitCode).toBe(0);
    expect(json.nodes[0].address).toBe(`127.0.0.1:${t.primary.port}`);
  });

  it('stats --replica and stats --keys --replica read a replica, not the primary', async () => {
    const replicaPorts = t.replicas.map((r) => `127.0.0.1:${r.port}`);
    const { json, run } = await runJson(['stats', '--replica', '--url', t.url()]);
    expect(run.exitCode).toBe(0);
    expect(replicaPorts).toContain(json.nodes[0].address);
    expect(json.nodes[0].role).toBe('slave');
    const keys = await runJson(['stats', '--keys', '--replica', '--url', t.url()]);
    expect(keys.run.exitCode).toBe(0);
    const plain = await runCli(['stats', '--replica', '--url', t.primary.url]);
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toContain('--replica needs a sentinel target');
  });

  it('still works when the first sentinel listed is down', async () => {
    const dead = await freePort();
    const url = `redis+sentinel://:${DATA_PW}@127.0.0.1:${dead},${t.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/mymaster?sentinelPassword=${SENT_PW}`;
    const { json, run } = await runJson(['stats', '--url', url]);
    expect(run.exitCode).toBe(0);
    expect(json.nodes[0].address).toBe(`127.0.0.1:${t.primary.port}`);
  });

  it('flush deletes on the primary (and the replicas follow)', async () => {
    const c = t.primary.client();
    for (let i = 0; i < 50; i++) await c.set(`cache:s:${i}`, 'x');
    await c.set('keep:me', '1');
    const run = await runCli(['flush', 'cache:s:', '--yes', '--url', t.url()]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('deleted 50 keys');
    expect(await c.exists('keep:me')).toBe(1);
    expect((await c.scan('0', 'MATCH', 'cache:s:*', 'COUNT', 1000))[1]).toEqual([]);
    noSecrets(run.stdout, run.stderr);
  });

  it('queues lists and acts on BullMQ queues created through the sentinels', async () => {
    const queue = new Queue('sentinel-mail', {
      connection: {
        sentinels: t.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
        name: 'mymaster',
        password: DATA_PW,
        sentinelPassword: SENT_PW,
      },
    });
    try {
      await queue.add('a', { n: 1 });
      await queue.add('b', { n: 2 });
      const { json, run } = await runJson(['queues', '--url', t.url()]);
      expect(run.exitCode).toBe(0);
      const row = json.queues.find((q: { key: string }) => q.key === 'bull:sentinel-mail');
      expect(row.counts.waiting).toBe(2);
      const pause = await runCli(['queues', 'pause', 'sentinel-mail', '--yes', '--url', t.url()]);
      expect(pause.exitCode).toBe(0);
      expect(await queue.isPaused()).toBe(true);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('a wrong sentinel password or master name is a connection error (exit 2) with a hint', async () => {
    const bad = await runCli(['stats', '--url', t.url().replace(SENT_PW, 'wrong-pw-xyz')]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/cannot resolve the primary of "mymaster" through the sentinels .*WRONGPASS/);
    expect(bad.stderr).toContain('hint:');
    noSecrets(bad.stdout, bad.stderr);
    const unknown = await runCli(['stats', '--url', t.url().replace('/mymaster', '/nosuch')]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('does not monitor "nosuch"');
    expect(unknown.stderr).toContain('SENTINEL MASTERS');
  });
});
