import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * `doctor --wait` in a real terminal of 60 columns (issue 15): each attempt redraws one live
 * line cut to the width, so no old attempt stays on screen; reaching the server clears it; Ctrl-C
 * finishes it with "interrupted" and leaves the shell a clean line.
 */
const width = 60;
const panes: Pane[] = [];
let late: RedisServer | undefined;

afterAll(async () => {
  for (const p of panes) p.kill();
  await late?.stop();
});

function run(args: string[]): Pane {
  const p = openPane(args, { width });
  panes.push(p);
  return p;
}

const fits = (lines: string[]): string[] => lines.filter((l) => [...l].length > width);

async function until(p: Pane, re: RegExp, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!p.capture().some((l) => re.test(l))) {
    if (Date.now() > end) throw new Error(`no ${re} on screen:\n${p.capture().join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('doctor --wait at 60 columns', () => {
  it('redraws one line per attempt in place, and clears it once the server answers', async () => {
    const port = await freePort();
    const p = run(['doctor', '--wait', '30s', '--use', 'cache', '--url', `redis://127.0.0.1:${port}`]);
    await until(p, /attempt 3,/);
    late = await startRedis({ port });
    await p.done(40_000);
    const lines = output(p.capture());
    expect(fits(lines), 'lines wider than the pane').toEqual([]);
    expect(lines.filter((l) => /waiting for/.test(l))).toEqual([]);
    expect(lines.join('\n')).toMatch(
      new RegExp(`reached redis://127\\.0\\.0\\.1:${port} after \\d+ attempts`),
    );
  }, 60_000);

  it('Ctrl-C finishes the live line with "interrupted" and a newline', async () => {
    const port = await freePort();
    const p = run(['doctor', '--wait', '60s', '--url', `redis://127.0.0.1:${port}`]);
    await until(p, /attempt 2,/);
    p.keys('C-c');
    expect(await p.done()).toBe(130);
    const lines = output(p.capture());
    expect(fits(lines), 'lines wider than the pane').toEqual([]);
    const live = lines.filter((l) => /waiting for/.test(l));
    expect(live, lines.join('\n')).toHaveLength(1);
    expect(live[0]).toMatch(/^waiting for redis:\/\/127\.0\.0\.1:\d+ .*… · interrupted$/);
    expect(lines.some((l) => l.startsWith('__EXIT__130'))).toBe(true);
  }, 60_000);
});
