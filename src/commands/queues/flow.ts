import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { writeJson, writeStdout } from '../../ui/output.js';
import type { RunContext } from '../connection.js';
import { commonOptions, mergedFlags, withConnection } from './command.js';
import { parsePositive } from './options.js';
import type { QueuesFlags } from './types.js';

/** `queues flow <queue> <id>`: the tree of the flow a job belongs to, read without writing. */
interface FlowFlags extends QueuesFlags {
  depth?: string;
  children?: string;
}

export function registerFlowCommand(queues: Command, ctx: RunContext): void {
  const cmd = commonOptions(
    queues
      .command('flow <queue> <id>')
      .description(
        "a flow's tree (parent, children, grandchildren, across queues) with each job's state and pending children",
      ),
  )
    .option('--depth <n>', 'levels below the root to read (default 10)')
    .option('--children <n>', 'children to read per job (default 50; the rest are counted)')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops queues flow reports 42
  $ redis-ops queues flow parts 7 --json | jq .root.children`,
    );
  cmd.action(async (queueName: string, id: string, _f: FlowFlags, self: Command) => {
    const flags = mergedFlags<FlowFlags>(self);
    const depth = parsePositive(flags.depth, '--depth') ?? 10;
    const childrenLimit = parsePositive(flags.children, '--children') ?? 50;
    const prefixes = flags.prefix ?? [];
    const result = await withConnection(
      flags,
      ctx,
      async (conn, target) => {
        const { findQueues, pickQueue } = await import('../../queues/load.js');
        const { findRoot, readFlow } = await import('../../queues/flow.js');
        const { queues: found } = await findQueues(conn, prefixes);
        const queue = pickQueue(found, queueName, prefixes);
        const asked = `${queue.base}:${id}`;
        if ((await conn.client.exists(asked)) === 0)
          throw new CliError(
            `no job ${id} in ${queue.base}`,
            'it may have been removed (removeOnComplete/removeOnFail) or never existed: list ids with queues jobs <queue>',
          );
        const root = await findRoot(conn, asked);
        const tree = await readFlow(
          conn,
          root,
          found.map((q) => q.base),
          { depth, childrenLimit, budget: 1000, timeoutMs: target.timeoutMs },
        );
        return { target: target.display, asked, ...tree };
      },
      { command: 'queues flow', parsed: { queue: queueName, id, prefixes, depth, childrenLimit } },
    );
    const { renderFlow, toFlowJson } = await import('./render-flow.js');
    if (flags.json) writeJson(toFlowJson(result));
    else writeStdout(renderFlow(result));
    process.exitCode = 0;
  });
}
