import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * Issue 15's terminal checks, in real tmux panes of 60, 80 and 120 columns: no line wider than
 * the pane (capture-pane -J joins wrapped rows, so a wrap shows as a long line), nothing left on
 * screen by a redraw, and Ctrl-C leaves a clean line for the shell.
 */
const widths = [60, 80, 120];
let cluster: TestCluster;
let server: RedisServer;
const panes: Pane[] = [];

beforeAll(async () => {
  [cluster, server] = await Promise.all([startCluster(), startRedis()]);
  const c = server.client();
  // stats --keys: 200-character key names.
  const long = (i: number): string => `tenant:${'x'.repeat(180)}:user:${String(i).padStart(5, '0')}`;
  const pipe = c.pipeline();
  for (let i = 0; i < 200; i++) pipe.set(long(i), 'v'.repeat(i));
  // queues: long queue names, real BullMQ queues.
  await pipe.exec();
  for (const name of [
    'notifications-email-transactional-high-priority',
    'reports-nightly-warehouse-export',
  ]) {
    const q = new Queue(name, { connection: { host: '127.0.0.1', port: server.port } });
    await q.add('job', { n: 1 });
    await q.close();
  }
}, 60_000);

afterAll(async () => {
  for (const p of panes) p.kill();
  await Promise.all([cluster?.stop(), server?.stop()]);
});

async function seedCluster(n: number): Promise<void> {
  const c = cluster.client();
  for (let i = 0; i < n; i += 500) {
    const batch: Array<Promise<unknown>> = [];
    for (let j = i; j < Math.min(n, i + 500); j++) batch.push(c.set(`cache:{t${j % 50}}:item:${j}`, 'v'));
    await Promise.all(batch);
  }
}

function run(args: string[], width: number): Pane {
  const p = openPane(args, { width });
  panes.push(p);
  return p;
}

function expectFits(lines: string[], width: number): void {
  const wide = lines.filter((l) => [...l].length > width);
  expect(wide, `lines wider than ${width}:\n${wide.join('\n')}`).toEqual([]);
}

describe.each(widths)('%i columns', (width) => {
  it('flush on a 3-node cluster: progress redraws leave nothing behind', async () => {
    await seedCluster(1500);
    const p = run(['flush', 'cache:', '--yes', '--rate', '1500', '--url', cluster.url], width);
    expect(await p.done()).toBe(0);
    const lines = output(p.capture());
    expectFits(lines, width);
    // The live line is cleared at the end: no "counting:" or "deleting [" row survives.
    expect(lines.filter((l) => /counting:|deleting/.test(l))).toEqual([]);
    expect(lines.join('\n')).toMatch(/deleted 1,500 keys/);
  }, 60_000);

  it('stats --keys with 200-character key names', async () => {
    const p = run(['stats', '--keys', '--url', server.url], width);
    expect(await p.done()).toBe(0);
    const lines = output(p.capture());
    expectFits(lines, width);
    expect(lines.join('\n')).toMatch(/tenant:x+…|tenant:…/);
  }, 30_000);

  it('queues: long names shortened, columns dropped with a note', async () => {
    const p = run(['queues', '--url', server.url], width);
    expect(await p.done()).toBe(0);
    const lines = output(p.capture());
    expectFits(lines, width);
    if (width === 60)
      expect(lines.join('\n')).toMatch(/hidden\s+to\s+fit\s+the\s+terminal:\s+--wide\s+shows/);
  }, 30_000);

  it('stats --watch fits, and Ctrl-C leaves a clean line', async () => {
    const p = run(['stats', '--watch', '0.3', '--url', server.url], width);
    await new Promise((r) => setTimeout(r, 1500));
    p.keys('C-c');
    expect(await p.done()).toBe(0);
    const lines = output(p.capture());
    expectFits(lines, width);
    expect(lines.some((l) => l.startsWith('__EXIT__0'))).toBe(true);
  }, 30_000);
});

describe('Ctrl-C on a live progress line', () => {
  it('flush: the line is finished, "interrupted" is said, the shell gets a clean line', async () => {
    await seedCluster(3000);
    const p = run(['flush', 'cache:', '--yes', '--rate', '300', '--url', cluster.url], 60);
    const until = Date.now() + 20_000;
    while (!p.capture().some((l) => /deleting/.test(l))) {
      if (Date.now() > until) throw new Error(`never started deleting:\n${p.capture().join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    p.keys('C-c');
    expect(await p.done()).toBe(130);
    const lines = output(p.capture());
    expectFits(lines, 60);
    expect(lines.join('\n')).toMatch(/interrupted/);
    expect(lines.some((l) => l.startsWith('__EXIT__130'))).toBe(true);
  }, 60_000);
});
