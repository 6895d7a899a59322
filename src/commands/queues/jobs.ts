import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { jobStates, type JobState } from '../../queues/keys.js';
import { actionStates, defaultStates } from '../../queues/job-actions.js';
import { writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import { commonOptions, mergedFlags, withConnection } from './command.js';
import { collect, parseChoice, parseDuration, parsePositive } from './options.js';
import { addJobActionOptions, jobGuards, parseJobAction, type JobActionFlags } from './job-flags.js';

/**
 * `queues jobs <queue>`: list and search jobs with filters that compose, bounded by
 * --scan-limit (issue 18). Read-only; the engine is src/queues/search.ts.
 */
interface JobsFlags extends JobActionFlags {
  state?: string[];
  name?: string;
  since?: string;
  until?: string;
  grep?: string;
  dataPath?: string;
  failedReason?: string;
  limit?: string;
  sort?: string;
  scanLimit?: string;
  ndjson?: boolean;
}

const sorts = ['created', 'finished', 'priority'] as const;

/** `15m` (that long ago) or an ISO date. */
export function parseWhen(value: string | undefined, flag: string, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(value.trim())) return now - parseDuration(value, flag);
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw usageError(`invalid ${flag}: ${value}`, 'give a duration ago (15m, 2h, 7d) or an ISO date');
  return t;
}

function parseDataPath(value: string | undefined): { path: string[]; value: string } | undefined {
  if (value === undefined) return undefined;
  const i = value.indexOf('=');
  if (i <= 0)
    throw usageError(`invalid --data-path: ${value}`, 'give path=value, e.g. --data-path user.id=42');
  return { path: value.slice(0, i).split('.'), value: value.slice(i + 1) };
}

/** The filter in words, for the plan: "failed; failed reason contains ECONNRESET". */
function describeFilter(f: { states: JobState[] }, flags: JobsFlags): string {
  const parts = [f.states.join(', ')];
  if (flags.name !== undefined) parts.push(`name ${flags.name}`);
  if (flags.since !== undefined) parts.push(`created since ${flags.since}`);
  if (flags.until !== undefined) parts.push(`created until ${flags.until}`);
  if (flags.grep !== undefined) parts.push(`data contains ${JSON.stringify(flags.grep)}`);
  if (flags.dataPath !== undefined) parts.push(`data ${flags.dataPath}`);
  if (flags.failedReason !== undefined)
    parts.push(`failed reason contains ${JSON.stringify(flags.failedReason)}`);
  return parts.join('; ');
}

export function registerJobsCommand(queues: Command, ctx: RunContext): void {
  const cmd = addJobActionOptions(
    commonOptions(
      queues
        .command('jobs <queue> [action]')
        .description(
          'list and search jobs (filters compose, reads are bounded), or act on exactly the jobs found: retry, remove, promote, discard, move-to-failed',
        ),
    ),
  )
    .option(
      '--state <state>',
      `a state to search (repeatable; default all): ${jobStates.join(', ')}`,
      collect,
      [],
    )
    .option('--name <glob>', 'job name matches this glob')
    .option('--since <when>', 'created at or after: 15m (ago) or an ISO date')
    .option('--until <when>', 'created at or before: 15m (ago) or an ISO date')
    .option('--grep <text>', "the job's data contains this text")
    .option('--data-path <path=value>', "the job's data at this path equals the value, e.g. user.id=42")
    .option('--failed-reason <text>', 'the failed reason contains this text')
    .option(
      '--limit <n>',
      'list at most n jobs (default 50; with an action: every match within --scan-limit)',
    )
    .option('--sort <by>', `order the listed jobs: ${sorts.join(', ')} (default: each state's own order)`)
    .option('--scan-limit <n>', 'examine at most n jobs', '100000')
    .option('--ndjson', 'one JSON job per line (for jq and export)')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops queues jobs email --state failed --failed-reason ECONNRESET
  $ redis-ops queues jobs email --name 'send*' --since 1h --ndjson | jq .id
  $ redis-ops queues jobs email --state failed --failed-reason ECONNRESET retry --dry-run
  $ redis-ops queues jobs email --state delayed --name 'digest*' promote --yes`,
    );
  cmd.action(async (queueName: string, word: string | undefined, _flags: JobsFlags, self: Command) => {
    const flags = mergedFlags<JobsFlags>(self);
    const action = parseJobAction(word, flags);
    const now = Date.now();
    const states = (flags.state ?? []).map((s) => parseChoice(s, '--state', jobStates) as JobState);
    const wrong = action ? states.filter((s) => !actionStates[action].includes(s)) : [];
    if (action && wrong.length > 0)
      throw usageError(
        `${action} does not apply to ${wrong.join(', ')} jobs`,
        `${action} applies to: ${actionStates[action].join(', ')}`,
      );
    const scanLimit = parsePositive(flags.scanLimit, '--scan-limit') ?? 100_000;
    const filter = {
      states: states.length > 0 ? states : action ? [...defaultStates[action]] : [...jobStates],
      name: flags.name,
      since: parseWhen(flags.since, '--since', now),
      until: parseWhen(flags.until, '--until', now),
      grep: flags.grep,
      dataPath: parseDataPath(flags.dataPath),
      failedReason: flags.failedReason,
      // An action takes every match the search budget reaches, unless --limit says fewer.
      limit: parsePositive(flags.limit, '--limit') ?? (action ? scanLimit : 50),
      scanLimit,
    };
    if (action) {
      const filterText = describeFilter(filter, flags);
      const result = await withConnection(
        flags,
        ctx,
        async (conn, target) => {
          const { performJobsAction } = await import('./jobs-action.js');
          const { clearLive } = await import('../../ui/live.js');
          const guards = await jobGuards(flags, ctx, queueName, action, target.timeoutMs);
          try {
            return await performJobsAction(conn, { ...guards, target: target.display, filter, filterText });
          } finally {
            clearLive(); // the progress bar, when a run stopped half way
          }
        },
        { command: 'queues jobs', parsed: { queue: queueName, action, filter } },
      );
      const { renderJobsAction, toJobsActionJson } = await import('./render-job-action.js');
      if (flags.json) writeJson(toJobsActionJson(result));
      else writeStdout(renderJobsAction(result));
      process.exitCode = 0;
      return;
    }
    const sort = parseChoice(flags.sort, '--sort', sorts);
    const result = await withConnection(
      { ...flags, json: flags.json || flags.ndjson },
      ctx,
      async (conn, target) => {
        const { findQueues, pickQueue } = await import('../../queues/load.js');
        const { searchJobs, sortJobs } = await import('../../queues/search.js');
        const { queues: found } = await findQueues(conn, flags.prefix ?? []);
        const queue = pickQueue(found, queueName, flags.prefix ?? []);
        const search = await searchJobs(conn.client, queue.base, filter);
        return { target: target.display, queue, ...search, jobs: sortJobs(search.jobs, sort) };
      },
      { command: 'queues jobs', parsed: { queue: queueName, prefixes: flags.prefix ?? [], filter, sort } },
    );
    const { renderJobs, toJobsJson, toJobLine } = await import('./render-jobs.js');
    if (flags.ndjson) writeStdout(result.jobs.map((j) => toJobLine(j)).join('\n'));
    else if (flags.json) writeJson(toJobsJson(result));
    else writeStdout(renderJobs(result, filter.scanLimit));
    process.exitCode = 0;
  });
}
