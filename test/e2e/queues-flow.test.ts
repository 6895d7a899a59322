import { FlowProducer, Job, Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { waitFor } from '../helpers/queues-fixture.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * `queues flow`: a flow three levels deep across three queues and two prefixes, built by
 * BullMQ's FlowProducer, one grandchild completed and one failed by a real worker. The counts
 * must agree with BullMQ's own Job.getDependenciesCount(), whichever job of the flow is asked.
 */
let server: RedisServer;
const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });
let rootId = '';
let midId = '';
let chunkIds: string[] = [];

beforeAll(async () => {
  server = await startRedis({ config: ['enable-debug-command yes'] });
  const flows = new FlowProducer({ connection: connection() });
  const tree = await flows.add({
    name: 'report',
    queueName: 'reports',
    children: [
      { name: 'part', queueName: 'parts', data: { i: 1 } },
      {
        name: 'part',
        queueName: 'parts',
        data: { i: 2 },
        children: [
          { name: 'chunk', queueName: 'chunks', prefix: 'myapp', data: { ok: true } },
          { name: 'chunk', queueName: 'chunks', prefix: 'myapp', data: { ok: false } },
        ],
      },
    ],
  });
  await flows.close();
  rootId = tree.job.id ?? '';
  const mid = tree.children?.find((c) => c.children && c.children.length > 0);
  midId = mid?.job.id ?? '';
  chunkIds = (mid?.children ?? []).map((c) => c.job.id ?? '');
  const w = new Worker(
    'chunks',
    async (job) => {
      if (!job.data.ok) throw new Error('chunk broken');
      return 'ok';
    },
    { connection: connection(), prefix: 'myapp' },
  );
  const chunks = new Queue('chunks', { connection: connection(), prefix: 'myapp' });
  await waitFor(async () => {
    const c = await chunks.getJobCounts('completed', 'failed');
    return c.completed === 1 && c.failed === 1;
  });
  await w.close();
  await chunks.close();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

interface Node {
  key: string;
  state: string;
  name: string;
  children: Record<string, number>;
  nodes: Node[];
  more: number;
}

describe('queues flow <queue> <id>', () => {
  it('from a grandchild: the whole tree from the root, states and child counts as BullMQ counts them', async () => {
    const admin = server.client();
    const digest = String(await admin.call('DEBUG', 'DIGEST'));
    const { json, run } = await runJson([
      'queues',
      'flow',
      'chunks',
      chunkIds[1] as string,
      '--url',
      server.url,
    ]);
    expect(run.exitCode).toBe(0);
    expect(String(await admin.call('DEBUG', 'DIGEST'))).toBe(digest);
    expect(json.asked).toBe(`myapp:chunks:${chunkIds[1]}`);
    expect(json.nodes).toBe(5);
    expect(json.truncated).toBe(false);
    const root: Node = json.root;
    expect(root).toMatchObject({ key: `bull:reports:${rootId}`, name: 'report', state: 'waiting-children' });
    const mid = root.nodes.find((n) => n.key === `bull:parts:${midId}`) as Node;
    const leaf = root.nodes.find((n) => n.key !== `bull:parts:${midId}`) as Node;
    expect(leaf).toMatchObject({ name: 'part', state: 'waiting', nodes: [], more: 0 });
    expect(mid.state).toBe('waiting-children');
    const states = Object.fromEntries(mid.nodes.map((n) => [n.key, n.state]));
    expect(states).toEqual({
      [`myapp:chunks:${chunkIds[0]}`]: 'completed',
      [`myapp:chunks:${chunkIds[1]}`]: 'failed',
    });
    // BullMQ's own count of the same parents' children (its Queue objects write meta: read last).
    const parts = new Queue('parts', { connection: connection() });
    const reports = new Queue('reports', { connection: connection() });
    const counted = await (await Job.fromId(parts, midId))?.getDependenciesCount();
    const rootCounted = await (await Job.fromId(reports, rootId))?.getDependenciesCount();
    await parts.close();
    await reports.close();
    expect(mid.children).toEqual({
      pending: counted?.unprocessed,
      processed: counted?.processed,
      failed: counted?.failed,
      ignored: counted?.ignored,
    });
    expect(root.children.pending).toBe(rootCounted?.unprocessed);
    expect(root.children.pending).toBe(2);

    const text = await runCli(['queues', 'flow', 'chunks', chunkIds[1] as string, '--url', server.url]);
    expect(text.stdout).toContain(`  report  bull:reports:${rootId}  waiting-children  children: 2 pending`);
    expect(text.stdout).toMatch(new RegExp(`[├└]─ chunk  myapp:chunks:${chunkIds[1]}  failed  ◀ asked`));
    expect(text.stdout).toContain('5 jobs read');
  });

  it('--children and --depth bound the reads; what is cut is counted', async () => {
    const one = await runJson(['queues', 'flow', 'reports', rootId, '--children', '1', '--url', server.url]);
    expect(one.json.truncated).toBe(true);
    expect(one.json.root.nodes).toHaveLength(1);
    expect(one.json.root.more).toBe(1);
    const shallow = await runJson(['queues', 'flow', 'reports', rootId, '--depth', '1', '--url', server.url]);
    expect(shallow.json.nodes).toBe(3);
    const mid = shallow.json.root.nodes.find((n: Node) => n.key === `bull:parts:${midId}`);
    expect(mid).toMatchObject({ nodes: [], more: 2 });
    const text = await runCli(['queues', 'flow', 'reports', rootId, '--depth', '1', '--url', server.url]);
    expect(text.stdout).toContain('└─ … 2 more not shown (--children, --depth)');
  });

  it('an unknown job: exit 2 with a hint', async () => {
    const r = await runCli(['queues', 'flow', 'reports', '999', '--url', server.url]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no job 999 in bull:reports');
  });
});
