import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import { commonOptions, mergedFlags, withConnection } from './command.js';
import type { QueuesFlags } from './types.js';

/**
 * `queues job <queue> <id>`: one job in full (issue 18), read without writing. The engine
 * (src/queues/jobs.ts) and the renderer load only when the command runs.
 */
interface JobFlags extends QueuesFlags {
  raw?: boolean;
}

export function registerJobCommands(queues: Command, ctx: RunContext): void {
  const job = commonOptions(
    queues
      .command('job <queue> <id>')
      .description(
        'one job in full: state, data, opts, attempts, timestamps, progress, result, stack traces, logs, flow, lock',
      ),
  )
    .option('--raw', 'print data as the stored string instead of pretty JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops queues job email 42
  $ redis-ops queues job email 42 --json | jq .stacktraces`,
    );
  job.action(async (queueName: string, id: string, _flags: JobFlags, self: Command) => {
    const flags = mergedFlags<JobFlags>(self);
    const parsed = { queue: queueName, id, prefixes: flags.prefix ?? [], raw: Boolean(flags.raw) };
    const result = await withConnection(
      flags,
      ctx,
      async (conn, target) => {
        const { findQueues, pickQueue } = await import('../../queues/load.js');
        const { readJobDetail } = await import('../../queues/jobs.js');
        const { queues: found } = await findQueues(conn, flags.prefix ?? []);
        const queue = pickQueue(found, queueName, flags.prefix ?? []);
        const detail = await readJobDetail(conn.client, queue.base, id);
        if (!detail)
          throw new CliError(
            `no job ${id} in ${queue.base}`,
            'it may have been removed (removeOnComplete/removeOnFail) or never existed: list ids with queues show <queue> --jobs <state>',
          );
        return { target: target.display, queue, job: detail };
      },
      { command: 'queues job', parsed },
    );
    const { renderJob, toJobJson } = await import('./render-job.js');
    if (flags.json) writeJson(toJobJson(result));
    else writeStdout(renderJob(result, Boolean(flags.raw)));
    process.exitCode = 0;
  });
}
