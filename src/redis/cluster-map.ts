import type { PipePool } from './pipe-pool.js';
import { splitAddress } from './pipe-pool.js';
import { scalarText } from '../text.js';
import { RespProtocolError, type Reply } from './resp-decode.js';

/**
 * Who owns which slots, read with CLUSTER SLOTS from the first node that answers. flush
 * compares fingerprints to learn that a reshard moved slots while it worked.
 */
export interface ClusterMap {
  /** Primary addresses, sorted. */
  primaries: string[];
  /** The slot ranges and their owners as one string: equal strings, same map. */
  fingerprint: string;
}

export async function readClusterMap(pool: PipePool, candidates: string[]): Promise<ClusterMap> {
  let last: unknown = new Error('no cluster node to ask for the slot map');
  for (const address of candidates) {
    try {
      const pipe = await pool.get(address);
      const [reply] = await pipe.send([['CLUSTER', 'SLOTS']]);
      if (reply instanceof Error) throw reply;
      if (!Array.isArray(reply)) throw new RespProtocolError('CLUSTER SLOTS did not answer a list');
      return parseClusterSlots(reply, splitAddress(address).host);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/** CLUSTER SLOTS → map; an empty host means "the node you asked" (cluster-preferred-endpoint-type). */
export function parseClusterSlots(reply: Reply[], askedHost: string): ClusterMap {
  const ranges: string[] = [];
  const primaries = new Set<string>();
  for (const entry of reply) {
    if (!Array.isArray(entry)) continue;
    const [start, end, owner] = entry;
    if (!Array.isArray(owner)) continue;
    const rawHost = scalarText(owner[0]);
    const host = rawHost === '' || rawHost === '?' ? askedHost : rawHost;
    const address = `${host}:${scalarText(owner[1])}`;
    primaries.add(address);
    ranges.push(`${scalarText(start)}-${scalarText(end)}@${address}`);
  }
  ranges.sort();
  return { primaries: [...primaries].sort(), fingerprint: ranges.join(',') };
}
