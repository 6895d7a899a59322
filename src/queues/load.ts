import { CliError } from '../errors.js';
import type { Connection } from '../redis/connect.js';
import { discoverQueues, type DiscoveredQueue } from './discover.js';
import { readClientLists, type ClientLists } from './workers.js';

/** Discovery plus the client lists it uses to split prefixes (and that count workers later). */
export interface FoundQueues {
  queues: DiscoveredQueue[];
  clients: ClientLists;
}

export async function findQueues(
  conn: Connection,
  prefixes: string[],
  timeoutMs?: number,
): Promise<FoundQueues> {
  const primaries = conn.primaries();
  const clients = await readClientLists(primaries);
  const queues = await discoverQueues(primaries, {
    prefixes,
    cluster: conn.isCluster ? conn.client : undefined,
    timeoutMs,
  });
  return { queues, clients };
}

function listNames(queues: DiscoveredQueue[], max = 20): string {
  const names = queues.map((q) => q.base);
  return names.length > max
    ? `${names.slice(0, max).join(', ')}, ... (${names.length} in all)`
    : names.join(', ');
}

/**
 * The queue a subcommand names: by name, or by its full `<prefix>:<name>` key. Unknown or
 * ambiguous names are usage errors that list what exists, so the next try is right.
 */
export function pickQueue(queues: DiscoveredQueue[], wanted: string, prefixes: string[]): DiscoveredQueue {
  let matches = queues.filter((q) => q.name === wanted);
  if (matches.length === 0) matches = queues.filter((q) => q.base === wanted);
  if (matches.length === 1) return matches[0] as DiscoveredQueue;
  if (matches.length > 1) {
    throw new CliError(
      `queue name "${wanted}" exists under ${matches.length} prefixes: ${matches.map((q) => q.prefix).join(', ')}`,
      `pick one with --prefix, e.g. --prefix ${matches[0]?.prefix}`,
    );
  }
  const where = prefixes.length > 0 ? ` under prefix ${prefixes.join(', ')}` : '';
  if (queues.length === 0)
    throw new CliError(
      `no queue named "${wanted}"${where}: no BullMQ queues found`,
      'check the URL and db, or the --prefix',
    );
  throw new CliError(`no queue named "${wanted}"${where}`, `queues here: ${listNames(queues)}`);
}
