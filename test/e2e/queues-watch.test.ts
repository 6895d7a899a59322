import Bull from 'bull';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { binPath, runCli } from '../helpers/cli.js';
import { assertJsonShape } from '../helpers/json-shape.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, type Pane } from '../helpers/tmux.js';

/**
 * `queues --watch`: NDJSON without a terminal (every line typed, rates from what a real worker
 * did between two readings, the read budget counted by the server), and the live view in a real
 * terminal (tmux): drawing, resizing to 60 columns, the filter, pause after a y, a refused pause
 * on an old `bull` queue, and `q`.
 */
let server: RedisServer;
const panes: Pane[] = [];
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
let worker: Worker | undefined;
let metered: Worker | undefined;
let producer: NodeJS.Timeout | undefined;

beforeAll(async () => {
  server = await startRedis();
  // busy: a producer adds a job every 50 ms and a worker finishes them (one in four fails).
  const busy = new Queue('busy', { connection: connection() });
  let n = 0;
  producer = setInterval(() => void busy.add('tick', { fail: n++ % 4 === 0 }), 50);
  worker = new Worker(
    'busy',
    async (job) => {
      if (job.data.fail) throw new Error('tick failed');
    },
    { connection: connection(), name: 'busy-1' },
  );
  // metered: a worker that collects BullMQ's metrics works through 1,000 jobs, 20 ms each (20 s of work: busy through every test).
  const m = new Queue('metered', { connection: connection() });
  await m.addBulk(Array.from({ length: 1000 }, (_, i) => ({ name: 'm', data: { i } })));
  await m.close();
  metered = new Worker('metered', () => new Promise((r) => setTimeout(r, 20)), {
    connection: connection(),
    metrics: { maxDataPoints: 60 },
  });
  // idle: jobs wait and no worker runs.
  const idle = new Queue('idle-notifications', { connection: connection() });
  await idle.addBulk([
    { name: 'n', data: {} },
    { name: 'n', data: {} },
  ]);
  await idle.close();
  // legacy: a queue of the old bull package, which BullMQ must not pause.
  const legacy = new Bull('legacy', { redis: { host: '127.0.0.1', port: server.port } });
  await legacy.add({ x: 1 });
  await legacy.close();
  await waitFor(async () => ((await busy.getJobCounts('completed')).completed ?? 0) > 5, 15_000, 'busy jobs');
}, 60_000);

afterAll(async () => {
  for (const p of panes) p.kill();
  if (producer) clearInterval(producer);
  await worker?.close();
  await metered?.close();
  await server?.stop();
});

async function commandstats(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await server.client().info('commandstats')).split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m) out[m[1] as string] = Number(m[2]);
  }
  return out;
}

describe('queues --watch without a terminal: NDJSON', () => {
  it('one typed line per interval; rates from the second line on', async () => {
    const run = await runCli(['queues', '--watch', '1', '--count', '3', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) assertJsonShape('QueuesWatchJson', l);
    expect(lines[0].seconds).toBeNull();
    expect(lines[0].queues.every((q: { rates: unknown }) => q.rates === null)).toBe(true);
    const busy = lines[2].queues.find((q: { name: string }) => q.name === 'busy');
    expect(busy.rates.from).toBe('events');
    expect(busy.rates.added).toBeGreaterThan(5);
    expect(busy.rates.completed).toBeGreaterThan(3);
    expect(busy.rates.failed).toBeGreaterThan(0);
    expect(busy.workers).toBe(1);
    expect(busy.attention[0]).toMatch(/^failing: [\d.]+\/s$/);
    // Sorted by attention: the failing queue first, then the one nobody consumes.
    expect(lines[2].queues.map((q: { name: string }) => q.name).slice(0, 2)).toEqual([
      'busy',
      'idle-notifications',
    ]);
    // Where workers collect metrics, the rates are their totals' growth.
    const m = lines[2].queues.find((q: { name: string }) => q.name === 'metered');
    expect(m.rates).toMatchObject({ from: 'metrics', approximate: false, failed: 0 });
    expect(m.rates.completed).toBeGreaterThan(5);
    const idle = lines[2].queues.find((q: { name: string }) => q.name === 'idle-notifications');
    expect(idle).toMatchObject({ workers: 0, attention: ['no worker while 2 wait'] });
    expect(idle.oldestWaitingAgeMs).toBeGreaterThan(0);
  });

  it('costs one pipelined round per interval: no SCAN after the first, no per-job reads', async () => {
    const admin = server.client();
    await admin.call('CONFIG', 'RESETSTAT');
    await runCli(['queues', '--watch', '0.5', '--count', '1', '--url', server.url]);
    const one = await commandstats();
    await admin.call('CONFIG', 'RESETSTAT');
    await runCli(['queues', '--watch', '0.5', '--count', '5', '--url', server.url]);
    const five = await commandstats();
    // Everything four more snapshots sent (the workers' and producer's own commands excluded).
    const ours = ['client|list', 'scan', 'xrange', 'xrevrange'];
    const extra: Record<string, number> = Object.fromEntries(
      ours.map((c) => [c, (five[c] ?? 0) - (one[c] ?? 0)]),
    );
    expect(extra.scan).toBe(0);
    expect(extra['client|list']).toBe(4);
    // 4 queues, one events read each per interval (the workers and the producer never read the stream).
    // (XREVRANGE COUNT 1 until a stream has an entry: the bull queue has no stream.)
    expect((extra.xrange ?? 0) + (extra.xrevrange ?? 0)).toBe(4 * 4);
  });

  it('Ctrl-C ends the stream after a whole line (exit 130)', async () => {
    const child = execa(binPath, ['queues', '--watch', '0.5', '--url', server.url], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    const lines = String(r.stdout).split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) assertJsonShape('QueuesWatchJson', JSON.parse(l));
  });

  it('refuses gates and a --count without --watch (exit 2)', async () => {
    const a = await runCli(['queues', '--watch', '--max-failed', '0', '--url', server.url]);
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toContain('--watch cannot be combined with --max-failed');
    const b = await runCli(['queues', '--count', '3', '--url', server.url]);
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toContain('--count needs --watch');
  });
});

function pane(width: number): Pane {
  const p = openPane(['queues', '--watch', '1', '--url', server.url], { width });
  panes.push(p);
  return p;
}

async function until(p: Pane, test: (screen: string) => boolean, what: string): Promise<string> {
  let screen = '';
  await waitFor(
    async () => {
      screen = p.capture().join('\n');
      return test(screen);
    },
    15_000,
    `${what}; screen:\n${screen}`,
  ).catch(() => {
    throw new Error(`timed out waiting for ${what}; screen:\n${p.capture().join('\n')}`);
  });
  return screen;
}

describe('queues --watch in a terminal', () => {
  it('draws one row per queue, redraws in place, fits 60 columns after a resize, filters, quits on q', async () => {
    const p = pane(120);
    const first = await until(p, (s) => s.includes('bull:busy') && /DONE\/S/.test(s), 'the table');
    expect(first).toMatch(/^queues --watch · 4 queues · \d\d:\d\d:\d\d UTC · every 1s · redis:\/\//);
    expect(first).toMatch(/bull:idle-\S* +2 /);
    expect(first).toContain('↑/↓ select · / filter · p pause · r resume · q quit');
    // Redrawn in place: one header, however many snapshots went by.
    await until(p, (s) => /LAST 5M/.test(s) && /[▁▂▃▄▅▆▇█]/.test(s), 'a sparkline');
    expect(p.capture().filter((l) => l.startsWith('queues --watch'))).toHaveLength(1);

    p.resize(60);
    const narrow = await until(p, (s) => !s.includes('ADD/S') && s.includes('QUEUE'), 'the 60-column frame');
    const wide = narrow.split('\n').filter((l) => [...l].length > 60);
    expect(wide, `lines wider than 60:\n${wide.join('\n')}`).toEqual([]);
    expect(narrow).toMatch(/FAILED/);
    expect(p.capture().filter((l) => l.includes('QUEUE'))).toHaveLength(1);

    p.keys('/', 'i', 'd', 'l', 'Enter');
    const filtered = await until(p, (s) => s.includes('filter "idl": 1 of 4'), 'the filter');
    expect(filtered).toContain('bull:idle-notifications');
    expect(filtered).not.toContain('bull:busy');

    p.keys('q');
    expect(await p.done()).toBe(0);
    // The main screen is back: the live view left nothing behind.
    expect(p.capture().join('\n')).not.toContain('QUEUE');
  });

  it('p asks first, pauses on y; an old bull queue is refused; Ctrl-C quits with 130', async () => {
    const admin = server.client();
    const p = pane(120);
    await until(p, (s) => s.includes('bull:idle-notifications'), 'the table');
    p.keys('/', 'i', 'd', 'l', 'e', 'Enter');
    await until(p, (s) => s.includes('filter "idle"'), 'the filter');
    p.keys('p');
    await until(p, (s) => s.includes('pause bull:idle-notifications? (y/N)'), 'the question');
    p.keys('n');
    await until(p, (s) => s.includes('pause cancelled: nothing changed'), 'the cancel');
    expect(await admin.hexists('bull:idle-notifications:meta', 'paused')).toBe(0);
    p.keys('p');
    await until(p, (s) => s.includes('(y/N)'), 'the question');
    p.keys('y');
    await until(p, (s) => s.includes('paused bull:idle-notifications'), 'the pause');
    expect(await admin.hexists('bull:idle-notifications:meta', 'paused')).toBe(1);

    p.keys('/', 'l', 'e', 'g', 'Enter', 'p');
    await until(p, (s) => s.includes('pause bull:legacy? (y/N)'), 'the legacy question');
    p.keys('y');
    await until(p, (s) => s.includes('no BullMQ meta version'), 'the refusal');
    expect(await admin.exists('bull:legacy:meta')).toBe(0);

    // Ctrl-C is a key in raw mode: the view closes the same way, exit 130.
    p.keys('C-c');
    expect(await p.done()).toBe(130);
    const q = new Queue('idle-notifications', { connection: connection() });
    await q.resume();
    await q.close();
  });
});
