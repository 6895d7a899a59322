import { startRedis, type RedisServer } from './redis-server.js';

/**
 * A real Sentinel deployment for tests: one primary, replicas, and sentinels
 * (`redis-server <conf> --sentinel`), each in its own temp dir with a writable config file
 * (sentinel rewrites it). Timings are small so a failover takes a few seconds, not a minute.
 */
export interface SentinelTopologyOptions {
  master?: string;
  /** requirepass/masterauth on the data nodes, `sentinel auth-pass` on the sentinels. */
  password?: string;
  /** requirepass on the sentinels themselves (and sentinel-pass between them). */
  sentinelPassword?: string;
  /** TLS everywhere: data nodes, replication, sentinels. */
  tls?: { cert: string; key: string; ca: string };
  replicas?: number;
  sentinels?: number;
  quorum?: number;
  /** Wait until every sentinel sees every replica and the other sentinels (default true). */
  waitSettled?: boolean;
}

export interface SentinelTopology {
  master: string;
  primary: RedisServer;
  replicas: RedisServer[];
  sentinels: RedisServer[];
  /** redis+sentinel:// URL naming every sentinel (credentials included when set). */
  url(opts?: { sentinels?: RedisServer[]; db?: number }): string;
  /** The primary the sentinels announce now (host:port). */
  currentPrimary(): Promise<string>;
  stop(): Promise<void>;
}

export const DOWN_AFTER_MS = 1000;

export function sentinelLines(
  master: string,
  host: string,
  port: number,
  o: { quorum: number; password?: string; sentinelPassword?: string; tls?: boolean },
): string[] {
  const lines = [
    `sentinel monitor ${master} ${host} ${port} ${o.quorum}`,
    `sentinel down-after-milliseconds ${master} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${master} 2000`,
    `sentinel parallel-syncs ${master} 2`,
  ];
  if (o.password) lines.push(`sentinel auth-pass ${master} ${o.password}`);
  if (o.sentinelPassword) lines.push(`sentinel sentinel-pass ${o.sentinelPassword}`);
  if (o.tls) lines.push('tls-replication yes');
  return lines;
}

export async function startSentinel(
  lines: string[],
  o: { sentinelPassword?: string; tls?: SentinelTopologyOptions['tls'] } = {},
): Promise<RedisServer> {
  return startRedis({ args: ['--sentinel'], config: lines, password: o.sentinelPassword, tls: o.tls });
}

export async function startSentinelTopology(o: SentinelTopologyOptions = {}): Promise<SentinelTopology> {
  const master = o.master ?? 'mymaster';
  const tlsLines = o.tls ? ['tls-replication yes'] : [];
  const auth = o.password ? [`masterauth "${o.password}"`] : [];
  const primary = await startRedis({ password: o.password, tls: o.tls, config: [...tlsLines, ...auth] });
  const replicas = await Promise.all(
    Array.from({ length: o.replicas ?? 2 }, () =>
      startRedis({
        password: o.password,
        tls: o.tls,
        config: [...tlsLines, ...auth, `replicaof 127.0.0.1 ${primary.port}`, 'repl-diskless-sync-delay 0'],
      }),
    ),
  );
  const lines = sentinelLines(master, '127.0.0.1', primary.port, {
    quorum: o.quorum ?? 2,
    password: o.password,
    sentinelPassword: o.sentinelPassword,
    tls: Boolean(o.tls),
  });
  const sentinels = await Promise.all(
    Array.from({ length: o.sentinels ?? 3 }, () =>
      startSentinel(lines, { sentinelPassword: o.sentinelPassword, tls: o.tls }),
    ),
  );
  const all = [primary, ...replicas, ...sentinels];
  const topo: SentinelTopology = {
    master,
    primary,
    replicas,
    sentinels,
    url(u = {}) {
      const list = (u.sentinels ?? sentinels).map((s) => `127.0.0.1:${s.port}`).join(',');
      const auth = o.password ? `:${encodeURIComponent(o.password)}@` : '';
      const query = o.sentinelPassword ? `?sentinelPassword=${encodeURIComponent(o.sentinelPassword)}` : '';
      return `${o.tls ? 'rediss' : 'redis'}+sentinel://${auth}${list}/${master}${u.db ? `/${u.db}` : ''}${query}`;
    },
    async currentPrimary() {
      for (const s of sentinels) {
        if (s.proc.exitCode !== null || s.proc.signalCode !== null) continue;
        const c = s.client();
        try {
          const r = (await c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', master)) as string[];
          return `${r[0]}:${r[1]}`;
        } catch {
          // next sentinel
        } finally {
          c.disconnect();
        }
      }
      throw new Error('no sentinel answered');
    },
    async stop() {
      await Promise.all(all.map((s) => s.stop()));
    },
  };
  if (o.waitSettled !== false) await waitSettled(topo);
  return topo;
}

/** Until every live sentinel sees the replicas as connected and knows the other sentinels. */
export async function waitSettled(
  t: SentinelTopology,
  ms = 20_000,
  minReplicas = t.replicas.length,
): Promise<void> {
  const until = Date.now() + ms;
  const live = t.sentinels.filter((s) => s.proc.exitCode === null && s.proc.signalCode === null);
  let last = '';
  for (;;) {
    let ok = true;
    for (const s of live) {
      const c = s.client();
      try {
        const m = toMap((await c.call('SENTINEL', 'MASTER', t.master)) as string[]);
        const replicas = ((await c.call('SENTINEL', 'REPLICAS', t.master)) as string[][]).map(toMap);
        const good = replicas.filter(
          (r) => !/s_down|o_down|disconnected/.test(r.flags ?? '') && r['master-link-status'] === 'ok',
        );
        const bad =
          Number(m['num-other-sentinels']) < live.length - 1 ||
          good.length < minReplicas ||
          /s_down|o_down|failover/.test(m.flags ?? '');
        if (bad) ok = false;
        if (bad)
          last = `${s.port}: master ${m.flags} others ${m['num-other-sentinels']}; replicas ${replicas.map((r) => `${r.port} ${r.flags} ${r['master-link-status']}`).join(', ')}`;
      } catch (err) {
        ok = false;
        last = `${s.port}: ${String(err)}`;
      } finally {
        c.disconnect();
      }
    }
    if (ok) return;
    if (Date.now() > until) throw new Error(`sentinel topology did not settle: ${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Force a failover and wait until the sentinels announce a different primary. */
export async function failover(t: SentinelTopology, ms = 20_000): Promise<string> {
  const before = await t.currentPrimary();
  const s = t.sentinels.find((x) => x.proc.exitCode === null && x.proc.signalCode === null);
  if (!s) throw new Error('no live sentinel');
  const c = s.client();
  try {
    await c.call('SENTINEL', 'FAILOVER', t.master);
  } finally {
    c.disconnect();
  }
  const until = Date.now() + ms;
  for (;;) {
    const now = await t.currentPrimary();
    if (now !== before) return now;
    if (Date.now() > until) throw new Error('failover did not happen');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function toMap(flat: string[]): Record<string, string> {
  const m: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) m[flat[i] as string] = flat[i + 1] as string;
  return m;
}

/**
 * After a failover the old primary stays a master until the sentinels convert it (10-20 s).
 * Do what they will do (REPLICAOF the new primary) and wait until the sentinels agree on it,
 * so the next test does not wait for their timers.
 */
export async function settleAfterFailover(t: SentinelTopology, old: string): Promise<void> {
  const now = await t.currentPrimary();
  const node = [t.primary, ...t.replicas].find((n) => `127.0.0.1:${n.port}` === old);
  const [host, port] = now.split(':');
  if (node) {
    const c = node.client();
    await c.call('REPLICAOF', host ?? '127.0.0.1', port ?? '0');
  }
  await waitSettled(t, 20_000, 1);
}
