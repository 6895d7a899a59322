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
  const notResp =
    /^✖ cannot scan 127\.0\.0\.1:\d+: [^\n]*not valid RESP: unknown reply type byte 0x3f \("\?"\)\n {2}hint: what came back is not the Redis protocol[^\n]+$/;

  it('stats --keys --sample (pipelined reads, SCAN corrupted) exits 2 with one line', async () => {
    const run = await runCli([
      'stats',
      '--keys',
      '--sample',
      '1000',
      '--url',
      `redis://127.0.0.1:${proxy.port}`,
    ]);
    expect(proxy.corrupted()).toBeGreaterThan(0);
    expect({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(notResp),
    });
  });

  it('stats --keys (read inside the server, EVAL corrupted) exits 2 with one line', async () => {
    // A full walk of a standalone server reads through one EVAL per call (src/redis/key-script.ts).
    const evalProxy = await startCorruptingProxy(server.port, {
      command: 'EVAL',
      reply: Buffer.from('?garbage\r\n'),
    });
    try {
      const run = await runCli(['stats', '--keys', '--url', `redis://127.0.0.1:${evalProxy.port}`]);
      expect(evalProxy.corrupted()).toBeGreaterThan(0);
      expect({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: expect.stringMatching(notResp),
      });
    } finally {
      await evalProxy.stop();
    }
  });

  it('flush exits 2 with one line and deletes nothing', async () => {
    // flush deletes through one EVAL per batch (src/redis/delete-script.ts): corrupt that reply.
    const evalProxy = await startCorruptingProxy(server.port, {
      command: 'EVAL',
      reply: Buffer.from('?garbage\r\n'),
    });
    let run;
    try {
      run = await runCli(['flush', 'cache:', '--yes', '--url', `redis://127.0.0.1:${evalProxy.port}`]);
      expect(evalProxy.corrupted()).toBeGreaterThan(0);
    } finally {
      await evalProxy.stop();
    }
    // Streaming deletion: stdout keeps the run's summary (0 deleted), stderr the one-line error.
    expect(run.stdout).toMatch(/deleted 0 of 0 matching keys/);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({
      exitCode: 2,
      stderr: expect.stringMatching(
        /^✖ stopped after deleting 0 keys: the server's reply is not valid RESP: unknown reply type byte 0x3f[^\n]*\n {2}hint: what came back is not the Redis protocol[^\n]+$/,
      ),
    });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).toMatch(/not valid RESP: unknown reply type byte 0x3f/);
    expect(await server.client().dbsize()).toBe(50);
  });
});
