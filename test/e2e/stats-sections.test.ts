import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * `stats --section commands|errors|clients` against real traffic: wrong-type commands make real
 * WRONGTYPE errors, a subscriber that stops reading makes a real output buffer on the server,
 * and the figures are checked against what INFO / CLIENT LIST say by hand.
 */
let server: RedisServer;
let cluster: TestCluster;
let subscriber: Socket | undefined;
const panes: Pane[] = [];

beforeAll(async () => {
  [server, cluster] = await Promise.all([
    // No output limit for pub/sub, so the stalled subscriber is kept (the default cuts at 8 MB/60 s).
    startRedis({ config: ['client-output-buffer-limit pubsub 0 0 0'] }),
    startCluster(),
  ]);
}, 60_000);

afterAll(async () => {
  for (const p of panes) p.kill();
  subscriber?.destroy();
  await Promise.all([server?.stop(), cluster?.stop()]);
});

/** A subscriber that reads its confirmation and then nothing: replies pile up on the server. */
async function slowSubscriber(port: number, channel: string): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${channel.length}\r\n${channel}\r\n`);
    s.once('data', () => {
      s.pause();
      resolve();
    });
  });
  return s;
}

describe('stats --section on a standalone server', () => {
  it('errors: real WRONGTYPE replies, by type and by command, as INFO errorstats says', async () => {
    const c = server.client();
    await c.set('plain', 'v');
    for (let i = 0; i < 3; i++) await c.hget('plain', 'f').catch(() => undefined);
    await c.lpush('plain', 'x').catch(() => undefined);
    const { json, run } = await runJson(['stats', '--section', 'errors', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    const errors = json.sections.errors;
    expect(errors.reported).toBe(true);
    const byHand = Number(/errorstat_WRONGTYPE:count=(\d+)/.exec(await c.info('errorstats'))?.[1]);
    expect(byHand).toBe(4);
    expect(errors.byType).toContainEqual({ type: 'WRONGTYPE', count: 4 });
    expect(errors.byCommand).toContainEqual({ command: 'hget', failedCalls: 3, rejectedCalls: 0 });
    expect(errors.byCommand).toContainEqual({ command: 'lpush', failedCalls: 1, rejectedCalls: 0 });
    expect(json.sections.names).toEqual(['errors']);
    expect(json.sections.commands).toBeUndefined();
    // The snapshot is still there (the sections add to it).
    expect(json.totals.keys).toBeGreaterThan(0);
  });

  it('commands: calls and latency percentiles (7.0+) as INFO commandstats/latencystats say', async () => {
    const c = server.client();
    for (let i = 0; i < 50; i++) await c.get('plain');
    const { json, run } = await runJson(['stats', '--section', 'commands', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    const get = json.sections.commands.find((x: { command: string }) => x.command === 'get');
    const line = /cmdstat_get:calls=(\d+),usec=(\d+)/.exec(await c.info('commandstats'));
    expect(get.calls).toBe(Number(line?.[1]));
    expect(get.calls).toBeGreaterThanOrEqual(50);
    expect(Object.keys(get.latencyUsec)).toEqual(['p50', 'p99', 'p99.9']);
    expect(get.latencyUsec.p50).toBeGreaterThan(0);
    expect(get.latencyUsec['p99.9']).toBeGreaterThanOrEqual(get.latencyUsec.p50);
    // Sorted by server time; the node's own list is there too.
    const usecs = json.sections.commands.map((x: { usec: number }) => x.usec);
    expect(usecs).toEqual([...usecs].sort((a: number, b: number) => b - a));
    expect(json.sections.nodes).toHaveLength(1);
    expect(json.sections.nodes[0].address).toBe(`127.0.0.1:${server.port}`);
  });

  it('clients: a subscriber that stopped reading shows with its output buffer', async () => {
    subscriber = await slowSubscriber(server.port, 'news');
    const c = server.client();
    const payload = 'x'.repeat(64 * 1024);
    // 24 MiB: more than the kernel's socket buffers can absorb, the rest waits on the server.
    for (let i = 0; i < 384; i++) await c.publish('news', payload);
    const { json, run } = await runJson(['stats', '--section', 'clients', '--top', '3', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    const s = json.sections.clients;
    expect(s.listed).toBe(true);
    expect(s.subscribers).toBe(1);
    const top = s.biggest[0];
    expect(top.cmd).toBe('subscribe');
    expect(top.outputBytes).toBeGreaterThan(1024 * 1024);
    expect(top.outputReplies).toBeGreaterThan(0);
    // The same client, by hand.
    const list = String(await c.call('CLIENT', 'LIST', 'ID', top.id));
    expect(list).toMatch(/cmd=subscribe/);
    expect(s.biggest.length).toBeLessThanOrEqual(3);
    expect(s.connected).toBeGreaterThanOrEqual(2);

    const text = await runCli(['stats', '--section', 'clients', '--url', server.url]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^clients$/m);
    expect(text.stdout).toMatch(/biggest output buffers/);
    expect(text.stdout).toMatch(/│ subscribe +│.*MiB/);
  });

  it('text: every section asked for, in the order given', async () => {
    const run = await runCli([
      'stats',
      '--section',
      'clients,commands',
      '--section',
      'errors',
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    const at = (re: RegExp): number => run.stdout.search(re);
    expect(at(/^clients$/m)).toBeGreaterThan(at(/^server /m));
    expect(at(/^commands by server time/m)).toBeGreaterThan(at(/^clients$/m));
    expect(at(/^errors by type/m)).toBeGreaterThan(at(/^commands by server time/m));
    expect(run.stdout).toMatch(/│ command +│ +calls │ +time │ per call │ +p50 │ +p99 │ +p99\.9 │/);
  });

  it('our own runs add no error replies to the figures they report (no CLIENT SETINFO before 7.2)', async () => {
    const c = server.client();
    const before = await c.info('errorstats');
    for (const args of [['--section', 'errors,clients,commands'], ['--keys'], []]) {
      const run = await runCli(['stats', ...args, '--url', server.url]);
      expect(run.exitCode).toBe(0);
    }
    expect(await c.info('errorstats')).toBe(before);
  });

  it('bad --section: one line with a hint, exit 2, nothing on stdout', async () => {
    for (const args of [
      ['--section', 'comands'],
      ['--section', ''],
      ['--section', 'errors', '--keys'],
      ['--section', 'errors', '--watch'],
    ]) {
      const run = await runCli(['stats', '--url', server.url, ...args]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^✖ .+\n {2}hint: .+$/);
    }
    const typo = await runCli(['stats', '--url', server.url, '--section', 'comands']);
    expect(typo.stderr).toMatch(/did you mean --section commands/);
  });
});

describe.each([60, 80, 120])('in a %i-column terminal', (width) => {
  it('every table fits: columns least read are left out and named', async () => {
    const p = openPane(['stats', '--section', 'commands,errors,clients', '--url', server.url], { width });
    panes.push(p);
    expect(await p.done()).toBe(0);
    const lines = output(p.capture());
    const wide = lines.filter((l) => [...l].length > width);
    expect(wide, `lines wider than ${width}:\n${wide.join('\n')}`).toEqual([]);
    const text = lines.join('\n');
    expect(text).toMatch(/│ command +│ +calls │ +time │/);
    expect(text).toMatch(/biggest output buffers/);
    if (width === 60) expect(text).toMatch(/left\s+out\s+to\s+fit\s+the\s+terminal:\s+--wide\s+shows\s+all/);
  }, 30_000);
});

describe('stats --section on a cluster', () => {
  it('per primary and summed: errors land on the node that answered them', async () => {
    const c = cluster.client();
    // Keys on different slots (so on different primaries), each the wrong type for HGET.
    const keys = Array.from({ length: 12 }, (_, i) => `k:${i}`);
    for (const k of keys) await c.set(k, 'v');
    for (const k of keys) await c.hget(k, 'f').catch(() => undefined);
    const { json, run } = await runJson(['stats', '--section', 'errors,commands', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    const nodes = json.sections.nodes;
    expect(nodes).toHaveLength(3);
    const perNode = nodes.map(
      (n: { errors: { byType: Array<{ type: string; count: number }> } }) =>
        n.errors.byType.find((t) => t.type === 'WRONGTYPE')?.count ?? 0,
    );
    // Each node's figure is that node's INFO errorstats.
    for (const [i, n] of nodes.entries()) {
      const srv = cluster.nodes.find((s) => n.address === `127.0.0.1:${s.port}`);
      const info = await (srv as RedisServer).client().info('errorstats');
      expect(perNode[i]).toBe(Number(/errorstat_WRONGTYPE:count=(\d+)/.exec(info)?.[1] ?? 0));
    }
    expect(perNode.filter((n: number) => n > 0).length).toBeGreaterThan(1);
    expect(json.sections.errors.byType).toContainEqual({ type: 'WRONGTYPE', count: 12 });
    const hget = json.sections.commands.find((x: { command: string }) => x.command === 'hget');
    expect(hget.calls).toBe(12);
    expect(hget.failedCalls).toBe(12);

    const text = await runCli(['stats', '--section', 'commands', '--url', cluster.url]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/percentiles: the worst primary for each/);
  }, 30_000);
});
