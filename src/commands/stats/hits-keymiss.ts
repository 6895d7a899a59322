import type { Redis } from 'ioredis';
import { errorText } from '../../redis/hints.js';
import { redact } from '../../redis/secrets.js';
import { withTimeout } from '../../redis/timeout.js';
import { nodeAddress } from './snapshot.js';

/**
 * notify-keyspace-events, the one setting `stats --hits` may change: key-miss events (`m`,
 * Redis ≥ 6.0) on the keyevent channel (`E`). The previous value is kept per node and written
 * back exactly; a restore that fails leaves the CONFIG SET to run by hand, printed even when
 * the process is cut short (a second Ctrl-C exits at once, so the exit hook prints it).
 */
export type { KeymissState } from './types.js';

export interface NotifySetting {
  node: Redis;
  address: string;
  value: string;
}

/** Does the value deliver `__keyevent@*__:keymiss`? `A` does not include `m`. */
export function deliversKeymiss(value: string): boolean {
  return value.includes('m') && value.includes('E');
}

export function withKeymiss(value: string): string {
  let v = value;
  if (!v.includes('E')) v += 'E';
  if (!v.includes('m')) v += 'm';
  return v;
}

/** The shell line that puts the value back (single quotes: the value is flags, but be safe). */
export function restoreCommand(s: NotifySetting): string {
  const [host, port] = [s.node.options.host ?? '127.0.0.1', s.node.options.port ?? 6379];
  return `redis-cli -h ${host} -p ${port} CONFIG SET notify-keyspace-events '${s.value.replace(/'/g, `'\\''`)}'`;
}

async function configGet(node: Redis, ms: number): Promise<string> {
  const answer: unknown = await withTimeout<unknown>(
    node.call('CONFIG', 'GET', 'notify-keyspace-events'),
    ms,
    'CONFIG GET',
  );
  const pairs: unknown[] = Array.isArray(answer) ? answer : Object.entries(answer as object).flat();
  if (pairs.length < 2) throw new Error('CONFIG GET answers empty on this server');
  return String(pairs[1]);
}

/** The setting on every primary, or why it cannot be read (ElastiCache: CONFIG is blocked). */
export async function readNotify(
  nodes: Redis[],
  ms: number,
): Promise<{ settings: NotifySetting[] } | { blocked: string }> {
  try {
    const values = await Promise.all(nodes.map((n) => configGet(n, ms)));
    return {
      settings: nodes.map((node, i) => ({ node, address: nodeAddress(node), value: values[i] ?? '' })),
    };
  } catch (err) {
    const t = redact(errorText(err));
    const why = /unknown command/i.test(t)
      ? 'CONFIG is blocked on this server (managed service: change notify-keyspace-events in its parameter group)'
      : /NOPERM/.test(t)
        ? 'this user may not run CONFIG'
        : `CONFIG GET failed (${t})`;
    return { blocked: why };
  }
}

/** Settings changed for the sample and not yet put back: printed by the exit hook if we die. */
const changed = new Set<NotifySetting>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    if (changed.size === 0) return;
    process.stderr.write('✖ notify-keyspace-events was not restored; run:\n');
    for (const s of changed) process.stderr.write(`  ${restoreCommand(s)}\n`);
    process.exitCode = 2;
  });
}

/** Add key-miss events where they are missing. Settings that were changed are returned. */
export async function enableKeymiss(settings: NotifySetting[], ms: number): Promise<NotifySetting[]> {
  hookExit();
  const todo = settings.filter((s) => !deliversKeymiss(s.value));
  for (const s of todo) {
    changed.add(s);
    await withTimeout(
      s.node.call('CONFIG', 'SET', 'notify-keyspace-events', withKeymiss(s.value)),
      ms,
      'CONFIG SET',
    );
  }
  return todo;
}

/** Put every changed value back and check it reads back the same. Returns the ones that failed. */
export async function restoreKeymiss(settings: NotifySetting[], ms: number): Promise<NotifySetting[]> {
  const failed: NotifySetting[] = [];
  for (const s of settings) {
    try {
      await withTimeout(s.node.call('CONFIG', 'SET', 'notify-keyspace-events', s.value), ms, 'CONFIG SET');
      if ((await configGet(s.node, ms)) !== s.value) throw new Error('read back a different value');
    } catch {
      failed.push(s);
    }
    // Tried: from here on the caller reports a failure (the exit hook is for runs cut short).
    changed.delete(s);
  }
  return failed;
}
