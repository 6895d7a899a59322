import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { seedTraffic, startTraffic } from '../helpers/hits-traffic.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ config: ['notify-keyspace-events KEA'] });
  await seedTraffic(cluster.client());
});

afterAll(async () => {
  await cluster?.stop();
});

const settings = (): Promise<string[]> =>
  Promise.all(
    cluster.nodes.map(async (n) => (await n.client().config('GET', 'notify-keyspace-events'))[1] ?? '?'),
  );

interface Ns {
  prefix: string;
  reads: number;
  hitRatio: number | null;
  writes: number;
  writesWithoutTtl: number;
}

describe('stats --hits on a 3-primary cluster', () => {
  it('samples every primary, merged: ratios within 2 points, C and D flagged, every node restored', async () => {
    const before = await settings();
    const traffic = startTraffic(cluster.client());
    const { json, run } = await runJson(['stats', '--url', cluster.url, '--hits', '3', '--enable-keymiss']);
    const truth = await traffic.stop();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await settings()).toEqual(before);
    expect(json).toMatchObject({ keymiss: 'enabled-for-sample', restored: true });
    expect(run.stderr).toMatch(/on 3 primaries/);
    const ns = Object.fromEntries(json.namespaces.map((n: Ns) => [n.prefix, n])) as Record<string, Ns>;
    expect(ns['a:']!.reads).toBeGreaterThan(300);
    expect(ns['a:']!.reads).toBeLessThan(truth.aReads);
    expect(Math.abs(ns['a:']!.hitRatio! - 0.95)).toBeLessThan(0.02);
    expect(Math.abs(ns['b:']!.hitRatio! - 0.5)).toBeLessThan(0.02);
    expect(ns['a:']!.writesWithoutTtl).toBe(0);
    expect(ns['c:']!.writesWithoutTtl).toBeGreaterThan(ns['c:']!.writes * 0.98);
    const incrs = ns['d:']!.writes / 1.95;
    expect(ns['d:']!.writesWithoutTtl / incrs).toBeGreaterThan(0.04);
    expect(ns['d:']!.writesWithoutTtl / incrs).toBeLessThan(0.06);
    expect(json.coverage).toBeGreaterThan(0.97);
    expect(Math.abs(json.globalHitRatio - 0.725)).toBeLessThan(0.03);
  });

  it('--watch: one NDJSON line per interval, each a whole document', async () => {
    const traffic = startTraffic(cluster.client());
    const run = await runCli([
      'stats',
      '--url',
      cluster.url,
      '--hits',
      '3',
      '--watch',
      '1',
      '--enable-keymiss',
      '--json',
    ]);
    await traffic.stop();
    expect(run.exitCode, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // 3 windows of 1 s; a loaded machine may lag a window behind (each is still cut exactly).
    expect(lines.length, run.stderr).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(4);
    for (const l of lines.slice(0, -1)) expect(l.restored).toBe(false);
    expect(lines.at(-1).restored).toBe(true);
    for (const l of lines.filter(
      (x) => x.durationMs > 500 && x.namespaces.some((n: Ns) => n.prefix === 'a:' && n.reads > 200),
    )) {
      const a = l.namespaces.find((n: Ns) => n.prefix === 'a:');
      expect(Math.abs(a.hitRatio - 0.95)).toBeLessThan(0.03);
      expect(l.durationMs).toBeLessThan(2000);
    }
    expect(await settings()).toEqual(['AKE', 'AKE', 'AKE'].map(() => expect.any(String)));
  });
});
