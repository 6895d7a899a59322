import { FlowProducer, Queue, Worker, type ConnectionOptions } from 'bullmq';

/**
 * Real BullMQ queues for the queues tests, built by real producers and workers:
 *  - bull:email: 3 completed, 3 failed (two reasons), 3 waiting, 1 delayed, 2 prioritized,
 *    and (with `active`) one job held active by a running worker named "holder";
 *  - myapp:jobs:reports: a prefix containing ':', paused with 2 jobs;
 *  - bull:flow-parent / bull:flow-child: a flow (1 parent waiting for 2 children).
 */
export interface QueueRef {
  name: string;
  prefix: string;
}

export interface Fixture {
  queues: QueueRef[];
  /** Let the held job finish and stop the holding worker. */
  stop(): Promise<void>;
}

export async function waitFor(check: () => Promise<boolean>, ms = 15_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function countsOf(
  connection: ConnectionOptions,
  ref: QueueRef,
): Promise<Record<string, number>> {
  const q = new Queue(ref.name, {
    connection,
    prefix: ref.prefix,
    skipMetasUpdate: true,
    skipVersionCheck: true,
  });
  try {
    return await q.getJobCounts();
  } finally {
    await q.close();
  }
}

async function finishSome(connection: ConnectionOptions, name: string, prefix: string): Promise<void> {
  const q = new Queue(name, { connection, prefix });
  await q.addBulk([
    { name: 'ok', data: {} },
    { name: 'ok', data: {} },
    { name: 'ok', data: {} },
    { name: 'send', data: { fail: 'smtp timeout' } },
    { name: 'send', data: { fail: 'smtp timeout' } },
    { name: 'send', data: { fail: 'bad address' } },
  ]);
  const w = new Worker(
    name,
    async (job) => {
      if (job.data.fail) throw new Error(job.data.fail as string);
      return 'done';
    },
    { connection, prefix, concurrency: 3 },
  );
  await waitFor(
    async () => {
      const c = await q.getJobCounts('completed', 'failed');
      return c.completed === 3 && c.failed === 3;
    },
    15_000,
    'jobs to complete and fail',
  );
  await w.close();
  await q.close();
}

export async function buildQueues(
  connection: ConnectionOptions,
  opts: { active?: boolean; names?: { email?: string; reports?: string; prefix?: string } } = {},
): Promise<Fixture> {
  const email = opts.names?.email ?? 'email';
  const reports = opts.names?.reports ?? 'reports';
  const prefix = opts.names?.prefix ?? 'bull';
  await finishSome(connection, email, prefix);
  const q = new Queue(email, { connection, prefix });
  let release: () => void = () => undefined;
  let holder: Worker | undefined;
  if (opts.active) {
    await q.add('hold', {});
    holder = new Worker(email, () => new Promise<void>((r) => (release = r)), {
      connection,
      prefix,
      concurrency: 1,
      name: 'holder',
    });
    await waitFor(
      async () => (await q.getJobCounts('active')).active === 1,
      15_000,
      'a job to become active',
    );
  }
  await q.addBulk([
    { name: 'wait', data: {} },
    { name: 'wait', data: {} },
    { name: 'wait', data: {} },
  ]);
  await q.add('later', {}, { delay: 3_600_000 });
  await q.add('urgent', {}, { priority: 1 });
  await q.add('urgent', {}, { priority: 2 });
  await q.close();

  const r = new Queue(reports, { connection, prefix: 'myapp:jobs' });
  await r.addBulk([
    { name: 'r', data: {} },
    { name: 'r', data: {} },
  ]);
  await r.pause();
  await r.close();

  const flows = new FlowProducer({ connection, prefix });
  await flows.add({
    name: 'parent',
    queueName: 'flow-parent',
    children: [
      { name: 'c', queueName: 'flow-child' },
      { name: 'c', queueName: 'flow-child' },
    ],
  });
  await flows.close();

  return {
    queues: [
      { name: email, prefix },
      { name: reports, prefix: 'myapp:jobs' },
      { name: 'flow-parent', prefix },
      { name: 'flow-child', prefix },
    ],
    async stop() {
      release();
      await holder?.close();
    },
  };
}
