import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * stats --keys on 2M distinct prefixes in a Node heap of 96 MB: the tally folds the smallest
 * prefixes into "other" (namespaces.ts) instead of keeping 2M entries (which needs ~1 GB).
 * Plus one big namespace, which must come out on top with its exact count.
 */
let server: RedisServer;
const distinct = 2_000_000;
const big = 50_000;

async function load(port: number): Promise<void> {
  const p = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const done = new Promise<void>((resolve, reject) =>
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --pipe exited ${code}`)))),
  );
  const cmd = (k: string): string => `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$1\r\n1\r\n`;
  let buf = '';
  const flush = async (): Promise<void> => {
    if (!p.stdin.write(buf)) await new Promise((r) => p.stdin.once('drain', r));
    buf = '';
  };
  for (let i = 0; i < distinct; i++) {
    buf += cmd(`u:${i}:x`);
    if (buf.length > 1 << 20) await flush();
  }
  for (let i = 0; i < big; i++) {
    buf += cmd(`big:${i}`);
    if (buf.length > 1 << 20) await flush();
  }
  p.stdin.end(buf);
  await done;
}

beforeAll(async () => {
  server = await startRedis();
  await load(server.port);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('stats --keys with bounded memory', () => {
  it('2M distinct prefixes at --depth 2 in a 96 MB heap: top exact, the rest folded and said so', async () => {
    const { json, run } = await runJson(['stats', '--keys', '--depth', '2', '--url', server.url], {
      env: { NODE_OPTIONS: '--max-old-space-size=96' },
      timeoutMs: 300_000,
    });
    expect(run.stderr).not.toMatch(/heap|out of memory/i);
    expect(run.exitCode).toBe(0);
    expect(json.scanned).toBe(distinct + big);
    expect(json.approximate).toBe(true);
    expect(json.namespaces[0]).toMatchObject({ prefix: 'big:', keys: big });
    expect(json.other.prefixes).toBeGreaterThan(1_000_000);
    const counted =
      json.namespaces.reduce((s: number, n: { keys: number }) => s + n.keys, 0) + (json.other.keys as number);
    expect(counted).toBeLessThanOrEqual(distinct + big);
  }, 300_000);
});
