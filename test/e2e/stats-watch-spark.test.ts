import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * `stats --watch` on a terminal draws sparklines (ops/s, hit ratio, memory) under the rows and
 * redraws them each interval: in real tmux panes of 60, 80 and 120 columns no line is wider than
 * the pane and exactly one panel is on screen (a redraw that missed a row would leave old ones).
 * Piped, the output is the rows only, as before.
 */
let server: RedisServer;
let traffic: Redis;
let busy = true;
let loop: Promise<void> | undefined;
const panes: Pane[] = [];

beforeAll(async () => {
  server = await startRedis();
  traffic = server.client();
  await traffic.set('k', 'v');
  // Changing traffic, so the lines have something to draw: hits, misses and writes.
  loop = (async () => {
    let i = 0;
    while (busy) {
      const p = traffic.pipeline();
      for (let j = 0; j < (i % 5) * 20 + 5; j++) p.get(j % 3 === 0 ? `miss:${j}` : 'k');
      p.set(`grow:${i}`, 'x'.repeat(2000));
      await p.exec();
      i++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
});

afterAll(async () => {
  busy = false;
  await loop;
  for (const p of panes) p.kill();
  await server?.stop();
});

const sparkChars = /[▁▂▃▄▅▆▇█]/;

describe.each([60, 80, 120])('%i columns', (width) => {
  it('sparklines under the rows: one panel, redrawn, nothing wider than the pane', async () => {
    const p = openPane(['stats', '--watch', '0.2', '--url', server.url], { width });
    panes.push(p);
    const until = Date.now() + 15_000;
    // Wait for enough rows that the panel has been redrawn many times.
    while (output(p.capture()).filter((l) => /^\d\d:\d\d:\d\d /.test(l)).length < 8) {
      if (Date.now() > until) throw new Error(`too few rows:\n${p.capture().join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    p.keys('C-c');
    expect(await p.done()).toBe(0);
    const lines = output(p.capture()).filter((l) => !l.startsWith('__EXIT__'));
    const wide = lines.filter((l) => [...l].length > width);
    expect(wide, `lines wider than ${width}:\n${wide.join('\n')}`).toEqual([]);
    // Exactly one panel: each sparkline once, at the bottom, under the last row.
    for (const name of ['ops/s', 'hits', 'memory'])
      expect(lines.filter((l) => l.startsWith(`${name} `)).length, `${name}:\n${lines.join('\n')}`).toBe(1);
    const at = (name: string): number => lines.findIndex((l) => l.startsWith(`${name} `));
    const lastRow = lines.map((l) => /^\d\d:\d\d:\d\d /.test(l)).lastIndexOf(true);
    expect(at('ops/s')).toBe(lastRow + 1);
    expect(at('hits')).toBe(lastRow + 2);
    expect(at('memory')).toBe(lastRow + 3);
    expect(lines[at('ops/s')]).toMatch(sparkChars);
    expect(lines[at('memory')]).toMatch(/[\d.]+ (KiB|MiB)$/);
    // One header, and every row under it.
    expect(lines.filter((l) => /^time\s+hit ratio/.test(l))).toHaveLength(1);
  }, 30_000);
});

describe('without a terminal', () => {
  it('the rows only, as before: no sparklines, no cursor movement', async () => {
    const run = await runCli(['stats', '--watch', '0.2', '--count', '4', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(sparkChars);
    expect(run.stdout).not.toContain('\x1b');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^time\s+hit ratio\s+ops\/s/);
    expect(lines.slice(1)).toHaveLength(4);
    for (const l of lines.slice(1)) expect(l).toMatch(/^\d\d:\d\d:\d\d /);
  });
});
