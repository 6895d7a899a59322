import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startCorruptingProxy, type CorruptingProxy } from '../helpers/corrupting-proxy.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

// The raw RESP pipe (src/redis/resp-pipe.ts) meets bytes that are not RESP: the command ends
// with exit 2 and one line saying so, never a stack trace or exit 1, and deletes nothing.
let server: RedisServer;
let proxy: CorruptingProxy;

beforeAll(async () => {
  server = await startRedis();
  const p = server.client().pipeline();
  for (let i = 0; i < 50; i++) p.set(`cache:${i}`, 'v');
  await p.exec();
  proxy = await startCorruptingProxy(server.port, { command: 'SCAN', reply: Buffer.from('?garbage\r\n') });
});

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

describe('a reply byte that is not RESP', () => {
  it('stats --keys exits 2 with one line', async () => {
    const run = await runCli(['stats', '--keys', '--url', `redis://127.0.0.1:${proxy.port}`]);
    expect(proxy.corrupted()).toBeGreaterThan(0);
    expect({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(
        /^✖ cannot scan 127\.0\.0\.1:\d+: [^\n]*not valid RESP: unknown reply type byte 0x3f \("\?"\)\n {2}hint: what came back is not the Redis protocol[^\n]+$/,
      ),
    });
  });

  it('flush exits 2 with one line and deletes nothing', async () => {
    const run = await runCli(['flush', 'cache:', '--yes', '--url', `redis://127.0.0.1:${proxy.port}`]);
    expect({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(
        /^✖ counting keys failed: [^\n]*not valid RESP: unknown reply type byte 0x3f[^\n]*; nothing was deleted\n {2}hint: what came back is not the Redis protocol[^\n]+$/,
      ),
    });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).toMatch(/not valid RESP: unknown reply type byte 0x3f/);
    expect(await server.client().dbsize()).toBe(50);
  });
});
