import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush } from '../../src/commands/flush/run.js';
import { resolveTarget } from '../../src/redis/target.js';
import { runJson } from '../helpers/cli.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
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

/**
 * flush on a 3-primary cluster: every primary is scanned, deletes never hit CROSSSLOT, and the
 * same key-by-key check as on a single server. Also the engine paths the CLI cannot reach
 * cheaply: a memory budget too small to keep the names (second SCAN) and the typed prompt.
 */
let cluster: TestCluster;
const inside = [...trickyInside(), ...numbered(PREFIX, 1500)];
const outside = [...lookAlikes(), ...numbered('other:', 300)];

beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const target = () => resolveTarget({ url: cluster.url }, {}, process.cwd());
const base = {
  prefixes: [PREFIX],
  dryRun: false,
  yes: true,
  includeQueues: false,
  count: 1000,
  interactive: false,
  progress: false,
};

describe('flush on a cluster', () => {
  it('--dry-run counts on every primary', async () => {
    await writeKeys(cluster.client(), [...inside, ...outside]);
    const { json, run } = await runJson(['flush', PREFIX, '--dry-run', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    expect(json.nodes).toBe(3);
    expect(json.matched).toBe(inside.length);
    expect(json.perNode).toHaveLength(3);
    for (const n of json.perNode) expect(n.matched).toBeGreaterThan(0);
  });

  it('deletes every key inside on every node, nothing outside, no CROSSSLOT', async () => {
    const { json, run } = await runJson(['flush', PREFIX, '--yes', '--url', cluster.url]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(json).toMatchObject({
      status: 'done',
      nodes: 3,
      matched: inside.length,
      deleted: inside.length,
      error: null,
    });
    expect(json.perNode.reduce((s: number, n: { deleted: number }) => s + n.deleted, 0)).toBe(inside.length);
    const c = cluster.client();
    expect(show(await existing(c, inside))).toEqual([]);
    expect(show(await untouched(c, outside))).toEqual([]);
  });

  it('with a memory budget too small to keep the names, a second SCAN deletes the rest', async () => {
    await writeKeys(cluster.client(), inside);
    const result = await flush({ ...base, target: target(), retainBytes: 3 * 2048 });
    expect(result).toMatchObject({ status: 'done', matched: inside.length, deleted: inside.length });
    const c = cluster.client();
    expect(show(await existing(c, inside))).toEqual([]);
    expect(show(await untouched(c, outside))).toEqual([]);
  });

  it('asks to type the prefix on a terminal, and deletes nothing on a wrong answer', async () => {
    await writeKeys(cluster.client(), inside);
    const asked: string[] = [];
    const wrong = flush({
      ...base,
      target: target(),
      yes: false,
      interactive: true,
      confirm: async (summary, expected) => (asked.push(summary, expected), false),
    });
    await expect(wrong).rejects.toMatchObject({
      exitCode: 130,
      message: 'confirmation did not match: nothing was deleted',
    });
    expect(asked[0]).toMatch(
      new RegExp(
        `^${inside.length.toLocaleString('en-US')} keys match cache:page:\\\\\\[v1\\\\\\]:\\* on 3 nodes of redis://`,
      ),
    );
    expect(asked[1]).toBe(PREFIX);
    expect(await existing(cluster.client(), inside)).toHaveLength(inside.length);

    const right = await flush({
      ...base,
      target: target(),
      yes: false,
      interactive: true,
      confirm: async (_s, expected) => expected === PREFIX,
    });
    expect(right).toMatchObject({ status: 'done', deleted: inside.length });
    expect(show(await existing(cluster.client(), inside))).toEqual([]);
  });
});
