import type { Command } from 'commander';
import type { Connection } from '../../redis/connect.js';
import type { Target } from '../../redis/target.js';
import { configureColor } from '../../ui/colors.js';
import { addConnectionOptions, inspectPoint, targetFromFlags, type RunContext } from '../connection.js';
import { collect } from './options.js';
import type { QueuesFlags } from './types.js';

// What every queues subcommand shares: the connection options, flags given before the
// subcommand's name, and one connection opened lazily and always closed.

/** Open the target, run, always close. ioredis and the queue modules load only here (lazily). */
export async function withConnection<T>(
  flags: QueuesFlags,
  ctx: RunContext,
  run: (conn: Connection, target: Target) => Promise<T>,
  /** For the argv → options table test: the command's name and its validated options. */
  inspect?: { command: string; parsed: object },
): Promise<T> {
  await configureColor({ color: flags.color, json: flags.json });
  const { target } = await targetFromFlags(flags, ctx);
  if (inspect) inspectPoint(ctx, inspect.command, { target, ...inspect.parsed });
  const { openConnection } = await import('../../redis/connect.js');
  const conn = await openConnection(target);
  try {
    return await run(conn, target);
  } catch (err) {
    const { toQueuesError } = await import('./errors.js');
    throw toQueuesError(err, `reading ${target.display}`);
  } finally {
    await conn.close();
  }
}

/**
 * A subcommand's flags, plus any the user put before the subcommand name
 * (`queues --url X show email`): those are parsed by the parent (positional options).
 */
export function mergedFlags<T>(cmd: Command): T {
  const own = cmd.opts<Record<string, unknown>>();
  const parent = cmd.parent;
  if (!parent) return own as T;
  const merged = { ...own };
  for (const [key, value] of Object.entries(parent.opts())) {
    if (parent.getOptionValueSource(key) === 'cli' && cmd.getOptionValueSource(key) !== 'cli')
      merged[key] = value;
  }
  return merged as T;
}

export function commonOptions(cmd: Command): Command {
  return addConnectionOptions(cmd).option(
    '--prefix <prefix>',
    'only queues under this prefix (repeatable; may contain ":")',
    collect,
    [],
  );
}
