import type { Redis } from 'ioredis';

/**
 * DEBUG DIGEST of the dataset without what running workers rewrite on their own: a worker renews
 * its job's lock (a new TTL every lockDuration/2) and its stalled check sets `stalled-check`
 * every 30 s, and DEBUG DIGEST counts TTLs. So: every key's value digest (DEBUG DIGEST-VALUE,
 * no TTL), found with SCAN, minus `:lock`, `:stalled-check` and `:stalled` keys.
 */
export async function dataDigest(client: Redis): Promise<string> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
    keys.push(...batch.filter((k) => !/:(lock|stalled-check|stalled)$/.test(k)));
    cursor = next;
  } while (cursor !== '0');
  keys.sort();
  const values = keys.length > 0 ? ((await client.call('DEBUG', 'DIGEST-VALUE', ...keys)) as string[]) : [];
  return keys.map((k, i) => `${k}=${values[i]}`).join('\n');
}
