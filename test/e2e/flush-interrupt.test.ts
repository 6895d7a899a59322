import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { binPath, runJson } from '../helpers/cli.js';
import {
  existing,
  lookAlikes,
  numbered,
  PREFIX,
  show,
  trickyInside,
  untouched,
  writeKeys,
} from '../helpers/flush-data.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { assertJsonShape } from '../helpers/json-shape.js';

/**
 * Stopping mid-flush: Ctrl-C (SIGINT) and a server that goes away. --rate slows the deleting
 * pass down so the stop lands in the middle; the test waits until keys start to disappear.
 */
const servers: RedisServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const inside = [...trickyInside(), ...numbered(PREFIX, 3000)];
const outside = [...lookAlikes(), ...numbered('other:', 500)];

function spawnFlush(url: string, rate: number) {
  return execa('node', [binPath, 'flush', PREFIX, '--yes', '--json', '--rate', String(rate), '--url', url], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
}

/** Poll until some keys of the namespace are gone: the deleting pass has started. */
async function whenDeleting(server: RedisServer): Promise<void> {
  const c = server.client();
  const probe = inside.slice(-1000);
  const until = Date.now() + 20_000;
  while ((await existing(c, probe)).length === probe.length) {
    if (Date.now() > until) throw new Error('flush never started deleting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('flush: stopping mid-way', () => {
  it('Ctrl-C stops after the batch in flight, reports exactly what was deleted, exit 130', async () => {
    const server = await startRedis();
    servers.push(server);
    await writeKeys(server.client(), [...inside, ...outside]);
    const sub = spawnFlush(server.url, 1000);
    await whenDeleting(server);
    sub.kill('SIGINT');
    const run = await sub;
    expect(run.exitCode).toBe(130);
    const json = JSON.parse(run.stdout);
    assertJsonShape('FlushJson', json);
    expect(json.status).toBe('interrupted');
    // --yes streams: nothing was counted first, matched is what the pass met (all of it deleted).
    expect(json.streamed).toBe(true);
    expect(json.matched).toBe(json.deleted);
    expect(json.deleted).toBeGreaterThan(0);
    expect(json.deleted).toBeLessThan(inside.length);
    const c = server.client();
    // The report is exact: the batch in flight finished before the report was written.
    expect((await existing(c, inside)).length).toBe(inside.length - json.deleted);
    expect(show(await untouched(c, outside))).toEqual([]);
    // Running again finishes the job.
    const again = await runJson(['flush', PREFIX, '--yes', '--url', server.url]);
    expect(again.run.exitCode).toBe(0);
    expect(again.json.deleted).toBe(inside.length - json.deleted);
    expect(show(await existing(c, inside))).toEqual([]);
    expect(show(await untouched(c, outside))).toEqual([]);
  });

  it('a server that dies mid-flush: exit 2, a report of what was deleted, nothing outside deleted', async () => {
    // The server saves its dataset when it is terminated, so after a restart we can check key
    // by key what the flush really did before it lost the connection.
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-flush-kill-'));
    dirs.push(dir);
    const config = [`dir ${dir}`, 'shutdown-on-sigterm save'];
    const server = await startRedis({ config });
    servers.push(server);
    await writeKeys(server.client(), [...inside, ...outside]);
    const rate = 1000;
    const sub = spawnFlush(server.url, rate);
    await whenDeleting(server);
    const exited = new Promise((r) => server.proc.once('exit', r));
    server.proc.kill('SIGTERM');
    await exited;
    const run = await sub;
    expect(run.exitCode).toBe(2);
    const json = JSON.parse(run.stdout);
    assertJsonShape('FlushJson', json);
    expect(json.status).toBe('connection-lost');
    expect(json.error).toEqual(expect.any(String));
    expect(json.deleted).toBeGreaterThan(0);
    expect(json.deleted).toBeLessThan(inside.length);
    expect(run.stderr).toContain(`✖ connection lost after deleting ${json.deleted} keys`);
    expect(run.stderr).toContain('hint: run the same command again to finish');

    const restarted = await startRedis({ config: [`dir ${dir}`] });
    servers.push(restarted);
    const c = restarted.client();
    expect(show(await untouched(c, outside))).toEqual([]);
    const gone = inside.length - (await existing(c, inside)).length;
    // At most the one batch in flight (a tenth of a second at --rate) was deleted without its reply arriving.
    expect(gone).toBeGreaterThanOrEqual(json.deleted);
    expect(gone - json.deleted).toBeLessThanOrEqual(rate / 10);

    const again = await runJson(['flush', PREFIX, '--yes', '--url', restarted.url]);
    expect(again.run.exitCode).toBe(0);
    expect(again.json.deleted).toBe(inside.length - gone);
    expect(show(await existing(c, inside))).toEqual([]);
    expect(show(await untouched(c, outside))).toEqual([]);
  });
});
