import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import { commonOptions, mergedFlags, withConnection } from './command.js';
import { addJobActionOptions, jobGuards, parseJobAction, type JobActionFlags } from './job-flags.js';

/**
 * `queues job <queue> <id>`: one job in full (issue 18), read without writing. The engine
 * (src/queues/jobs.ts) and the renderer load only when the command runs.
 */
interface JobFlags extends JobActionFlags {
  raw?: boolean;
}

export function registerJobCommands(queues: Command, ctx: RunContext): void {
  const job = addJobActionOptions(
    commonOptions(
      queues
        .command('job <queue> <id> [action]')
        .description(
          'one job in full (state, data, opts, attempts, timestamps, progress, result, stack traces, logs, flow, lock), or act on it: retry, remove, promote, discard, move-to-failed',
        ),
    ),
  )
    .option('--raw', 'print data as the stored string instead of pretty JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops queues job email 42
  $ redis-ops queues job email 42 --json | jq .stacktraces
  $ redis-ops queues job email 42 retry --dry-run
  $ redis-ops queues job email 42 move-to-failed --reason "stuck: worker gone" --yes`,
    );
  job.action(
    async (queueName: string, id: string, word: string | undefined, _flags: JobFlags, self: Command) => {
      const flags = mergedFlags<JobFlags>(self);
      const action = parseJobAction(word, flags);
      if (action) {
        const result = await withConnection(
          flags,
          ctx,
          async (conn, target) => {
            const { performJobAction } = await import('./job-action.js');
            const guards = await jobGuards(flags, ctx, queueName, action, target.timeoutMs);
            return performJobAction(conn, { ...guards, id, target: target.display });
          },
          { command: 'queues job', parsed: { queue: queueName, id, action, reason: flags.reason ?? null } },
        );
        const { renderJobAction, toJobActionJson } = await import('./render-job-action.js');
        if (flags.json) writeJson(toJobActionJson(result));
        else writeStdout(renderJobAction(result));
        process.exitCode = 0;
        return;
      }
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
    },
  );
}
