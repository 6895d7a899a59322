import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush } from '../../src/commands/flush/run.js';
import { renderFlush } from '../../src/commands/flush/render.js';
import { resolveTarget } from '../../src/redis/target.js';
import { binPath, runCli, runJson } from '../helpers/cli.js';
import {
  failover,
  settleAfterFailover,
  startSentinelTopology,
  type SentinelTopology,
} from '../helpers/sentinel.js';

// One topology for the file; each test forces a real SENTINEL FAILOVER. After one, the old
// primary stays a master for several seconds (sentinel converts it later): the trap these
// tests are about.
const DATA_PW = 'fo-data-Secret';
let t: SentinelTopology;

beforeAll(async () => {
  t = await startSentinelTopology({ password: DATA_PW });
});

afterAll(async () => {
  await t?.stop();
});

/** A client to whichever node is at host:port now (primary or replica). */
function clientAt(address: string) {
  const node = [t.primary, ...t.replicas].find((n) => `127.0.0.1:${n.port}` === address);
  if (!node) throw new Error(`no node at ${address}`);
  return node.client();
}

async function countKeys(address: string, match: string): Promise<number> {
  const c = clientAt(address);
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await c.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

describe('sentinel failover', () => {
  it('stats --watch keeps going across SENTINEL FAILOVER and marks the switch', async () => {
    const before = await t.currentPrimary();
    const watch = execa(binPath, ['stats', '--watch', '0.3', '--count', '12', '--json', '--url', t.url()], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      timeout: 30_000,
    });
    await new Promise((r) => setTimeout(r, 1200));
    const after = await failover(t);
    const r = await watch;
    expect(r.exitCode).toBe(0);
    const lines = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const marks = lines.filter((l) => 'failover' in l);
    expect(marks).toHaveLength(1);
    expect(marks[0]?.failover).toMatchObject({ primary: after, previous: before });
    expect(lines.filter((l) => !('failover' in l))).toHaveLength(12);
    expect(r.stderr).toBe('');
    await settleAfterFailover(t, before);
  });

  it('the text form says "failover: primary is now host:port"', async () => {
    const before = await t.currentPrimary();
    const watch = execa(binPath, ['stats', '--watch', '0.3', '--count', '10', '--url', t.url()], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      timeout: 30_000,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const after = await failover(t);
    const r = await watch;
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `failover: primary is now ${after.replace(/\./g, '\\.')} \\(was ${before.replace(/\./g, '\\.')}\\); no figures for the [\\d.]+ s across the switch`,
      ),
    );
    await settleAfterFailover(t, before);
  });

  it('flush across a failover stops with what it deleted and "run again"; the re-run finishes on the new primary', async () => {
    const old = await t.currentPrimary();
    const c = clientAt(old);
    const pipe = c.pipeline();
    for (let i = 0; i < 2000; i++) pipe.set(`fo:cache:${i}`, 'x');
    await pipe.exec();
    await c.call('WAIT', '2', '2000');
    const target = resolveTarget({ url: t.url() }, {}, process.cwd());
    let switched = '';
    const result = await flush({
      target,
      prefixes: ['fo:cache:'],
      dryRun: false,
      yes: false,
      includeQueues: false,
      count: 1000,
      interactive: true,
      progress: false,
      // The person reads the prompt while the sentinels fail over; then confirms.
      confirm: async () => {
        switched = await failover(t);
        return true;
      },
    });
    expect(result.status).toBe('connection-lost');
    expect(result.error).toContain(`failover during the flush: the primary is now ${switched} (was ${old})`);
    expect(renderFlush(result)).toMatch(
      /deleted [\d,]+ of 2,000 matching keys .*run the same command again to finish/,
    );
    // Not done indeed: the new primary still has the keys.
    expect(await countKeys(switched, 'fo:cache:*')).toBeGreaterThan(0);
    const again = await runCli(['flush', 'fo:cache:', '--yes', '--url', t.url()]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/deleted [\d,]+ keys? matching fo:cache:\*/);
    expect(await countKeys(switched, 'fo:cache:*')).toBe(0);
    const { json } = await runJson(['stats', '--url', t.url()]);
    expect(json.nodes[0].address).toBe(switched);
    await settleAfterFailover(t, old);
  });

  it('after a failover, queues and their actions go to the new primary', async () => {
    const now = await t.currentPrimary();
    const c = clientAt(now);
    await c.hset('bull:fo-q:meta', 'version', 'bullmq:6.7.0');
    await c.lpush('bull:fo-q:wait', '1');
    await c.hset('bull:fo-q:1', 'name', 'x', 'data', '{}', 'timestamp', String(Date.now()));
    const pause = await runCli(['queues', 'pause', 'fo-q', '--yes', '--url', t.url()]);
    expect(pause.exitCode).toBe(0);
    expect(await c.hexists('bull:fo-q:meta', 'paused')).toBe(1);
  });
});
