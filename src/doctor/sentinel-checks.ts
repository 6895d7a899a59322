import type { InfoRecord } from '../redis/info.js';
import type { Target } from '../redis/target.js';
import { fail, pass, warn, type CheckResult } from './types.js';
import { plural } from '../ui/format.js';

/** What one sentinel told us (gathered by sentinel.ts); the checks below are pure. */
export interface SentinelFacts {
  address: string;
  /** Connected, authenticated and answered INFO. */
  reached: boolean;
  mode?: string;
  error?: string;
  hint?: string;
  /** GET-MASTER-ADDR-BY-NAME: undefined when not asked, null when the master is unknown. */
  primary?: string | null;
  knownMasters?: string[];
  master?: Record<string, string>;
  replicas?: Record<string, string>[];
  peers?: Record<string, string>[];
  ckquorum?: { ok: boolean; message: string };
}

export interface PrimaryProbe {
  address: string;
  target: Target;
  reached: boolean;
  info?: InfoRecord;
  error?: string;
  cause?: string;
}

export const sentinelIds = [
  'sentinel.reach',
  'sentinel.master',
  'sentinel.quorum',
  'sentinel.announce',
  'sentinel.replicas',
] as const;

const usable = (f: SentinelFacts): boolean => f.reached && f.mode === 'sentinel' && !f.error;
const answering = (facts: SentinelFacts[]): SentinelFacts[] => facts.filter((f) => usable(f) && f.master);

export function checkReach(facts: SentinelFacts[]): CheckResult {
  const ok = facts.filter(usable);
  const notSentinel = facts.filter((f) => f.reached && f.mode !== 'sentinel');
  const down = facts.filter((f) => !f.reached || (f.mode === 'sentinel' && f.error));
  const downText = down.map((f) => `${f.address}: ${f.error ?? 'no answer'}`).join('; ');
  if (notSentinel.length) {
    return fail(
      'sentinel.reach',
      `not a sentinel: ${notSentinel.map((f) => `${f.address} (redis_mode:${f.mode})`).join(', ')}${down.length ? `; unreachable: ${downText}` : ''}`,
      "list the sentinels' addresses (port 26379 by default), not the data nodes'",
    );
  }
  if (ok.length === 0) {
    const first = down[0];
    const auth = /NOAUTH|WRONGPASS|authenticat/i.test(first?.error ?? '');
    return fail(
      'sentinel.reach',
      `no sentinel answers: ${downText}`,
      auth
        ? "sentinels with requirepass have their own password: add ?sentinelPassword= to the URL or --sentinel-password (the URL's user-info is the data nodes' password)"
        : (first?.hint ?? 'check the sentinel addresses'),
    );
  }
  if (down.length) {
    return warn(
      'sentinel.reach',
      `${ok.length} of ${facts.length} sentinels answer; unreachable: ${downText}`,
      'start or fix the unreachable sentinels: with fewer sentinels up, a failover may not find its majority',
    );
  }
  return pass('sentinel.reach', `${ok.length} sentinels answer: ${ok.map((f) => f.address).join(', ')}`);
}

export function checkMaster(
  facts: SentinelFacts[],
  name: string,
): { check: CheckResult; primary: string | null } {
  const ok = facts.filter(usable);
  const unknown = ok.filter((f) => f.primary === null);
  const groups = new Map<string, string[]>();
  for (const f of ok) if (f.primary) groups.set(f.primary, [...(groups.get(f.primary) ?? []), f.address]);
  if (groups.size > 1) {
    const view = [...groups].map(
      ([addr, who]) => `${who.join(', ')} ${who.length > 1 ? 'say' : 'says'} ${addr}`,
    );
    return {
      check: fail(
        'sentinel.master',
        `split view of "${name}": ${view.join('; ')}`,
        'the sentinels watch different servers under one name: make every `sentinel monitor` line point at the same primary (then SENTINEL RESET on the odd ones)',
      ),
      primary: null,
    };
  }
  const agreed = [...groups.keys()][0] ?? null;
  if (unknown.length) {
    const masters = [...new Set(unknown.flatMap((f) => f.knownMasters ?? []))];
    return {
      check: fail(
        'sentinel.master',
        `${unknown.map((f) => f.address).join(', ')} ${unknown.length > 1 ? 'do' : 'does'} not monitor "${name}"${masters.length ? ` (monitored: ${masters.join(', ')})` : ''}${agreed ? `; the others name ${agreed}` : ''}`,
        "check the master name (--master, or the path of the redis+sentinel:// URL) and each sentinel's `sentinel monitor` line",
      ),
      primary: agreed,
    };
  }
  return {
    check: pass(
      'sentinel.master',
      `${ok.length} of ${ok.length} sentinels name ${agreed ?? '?'} as the primary of "${name}"`,
    ),
    primary: agreed,
  };
}

export function checkQuorum(facts: SentinelFacts[]): CheckResult {
  const a = answering(facts);
  if (a.length === 0) return warn('sentinel.quorum', 'no sentinel reported on the master', null);
  const flagged = (flag: string): string[] =>
    a.filter((f) => (f.master?.flags ?? '').split(',').includes(flag)).map((f) => f.address);
  const odown = flagged('o_down');
  if (odown.length)
    return fail(
      'sentinel.quorum',
      `the primary is objectively down (o_down) for ${odown.join(', ')}`,
      'the sentinels agree the primary is down: a failover should follow; check the replicas',
    );
  const noQuorum = a.filter((f) => f.ckquorum && !f.ckquorum.ok);
  if (noQuorum.length) {
    return fail(
      'sentinel.quorum',
      `CKQUORUM fails on ${noQuorum.map((f) => f.address).join(', ')}: ${noQuorum[0]?.ckquorum?.message ?? ''}`,
      'a failover needs <quorum> sentinels to agree and a majority of all sentinels to authorize it: start the missing sentinels or lower the quorum',
    );
  }
  const quorum = Number(a[0]?.master?.quorum ?? NaN);
  const total = Math.max(...a.map((f) => Number(f.master?.['num-other-sentinels'] ?? 0) + 1));
  const notes: string[] = [];
  const sdown = flagged('s_down');
  if (sdown.length) notes.push(`${sdown.join(', ')} see the primary as down (s_down)`);
  const failing = a.filter((f) => /failover/.test(f.master?.flags ?? '')).map((f) => f.address);
  if (failing.length) notes.push(`a failover is in progress (${failing.join(', ')})`);
  if (total < 3) notes.push(`only ${plural(total, 'sentinel')}: losing one leaves no majority to fail over`);
  const base = `quorum ${Number.isNaN(quorum) ? '?' : quorum} of ${total} sentinels, CKQUORUM OK`;
  if (notes.length)
    return warn(
      'sentinel.quorum',
      `${base}; ${notes.join('; ')}`,
      total < 3
        ? 'run at least 3 sentinels, on separate hosts'
        : 'watch it settle: run doctor again in a few seconds',
    );
  return pass('sentinel.quorum', base);
}

const privateAddress = /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|fd|fc)/i;

export function checkAnnounce(p: PrimaryProbe, facts: SentinelFacts[]): CheckResult {
  if (p.reached) {
    const role = p.info?.role ?? 'unknown';
    if (role !== 'master')
      return fail(
        'sentinel.announce',
        `${p.address}, the primary the sentinels announce, answers as ${role}`,
        'the sentinels lag behind a failover, or a replica was promoted by hand: run doctor again; SENTINEL RESET if it persists',
      );
    return pass('sentinel.announce', `${p.address}, the announced primary, answers from here as a master`);
  }
  if (p.cause === 'auth-missing' || p.cause === 'auth-wrong' || p.cause === 'acl')
    return fail(
      'sentinel.announce',
      `${p.address} (announced primary) refused our credentials: ${p.error ?? ''}`,
      "the URL's user-info is the data nodes' password: check it (the sentinels' own goes in ?sentinelPassword=)",
    );
  const seenDown = facts.some((f) => /s_down|o_down/.test(f.master?.flags ?? ''));
  return fail(
    'sentinel.announce',
    `${p.address}, the primary the sentinels announce, is not reachable from here: ${p.error ?? 'no answer'}${seenDown ? '' : ' (the sentinels themselves reach it)'}`,
    privateAddress.test(p.address) || !seenDown
      ? 'sentinels announce the address they see; behind Docker or NAT that is a container IP. Set `replica-announce-ip` (data nodes) and `sentinel announce-ip` (sentinels) to an address clients reach, or `sentinel resolve-hostnames yes` + `sentinel announce-hostnames yes` with names that resolve here'
      : 'the primary looks down: see sentinel.quorum',
  );
}

interface ReplicaRow {
  address: string;
  flags: string;
  link: string;
  lagSeconds: number | null;
}

/** slaveN lines of the primary's INFO replication: ip=..,port=..,state=..,offset=..,lag=.. */
function primaryReplicas(info: InfoRecord | undefined): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const [k, v] of Object.entries(info ?? {})) {
    if (!/^slave\d+$/.test(k) || typeof v !== 'string') continue;
    const rec = Object.fromEntries(v.split(',').map((kv) => kv.split('=') as [string, string]));
    out.set(`${rec.ip}:${rec.port}`, rec);
  }
  return out;
}

export function checkReplicas(
  facts: SentinelFacts[],
  p: PrimaryProbe,
): { check: CheckResult; list: ReplicaRow[] } {
  const source = answering(facts)[0];
  const fromPrimary = primaryReplicas(p.info);
  const list: ReplicaRow[] = (source?.replicas ?? []).map((r) => {
    const address = `${r.ip}:${r.port}`;
    const lag = fromPrimary.get(address)?.lag;
    return {
      address,
      flags: r.flags ?? '',
      link: r['master-link-status'] ?? 'unknown',
      lagSeconds: lag === undefined ? null : Number(lag),
    };
  });
  const problems: string[] = [];
  const down = list.filter((r) => /s_down|o_down|disconnected/.test(r.flags));
  if (down.length) problems.push(`down: ${down.map((r) => `${r.address} (${r.flags})`).join(', ')}`);
  const broken = list.filter((r) => !down.includes(r) && r.link !== 'ok');
  if (broken.length)
    problems.push(`link to the primary ${broken.map((r) => `${r.address}: ${r.link}`).join(', ')}`);
  const lagging = list.filter((r) => (r.lagSeconds ?? 0) > 10);
  if (lagging.length)
    problems.push(`lagging: ${lagging.map((r) => `${r.address} ${r.lagSeconds} s`).join(', ')}`);
  const healthy = list.length - down.length - broken.length;
  if (p.info) {
    const connected = Number(p.info.connected_slaves ?? fromPrimary.size);
    if (connected !== healthy)
      problems.push(
        `the sentinels list ${healthy} healthy replica(s), the primary's INFO reports ${connected} connected`,
      );
  }
  if (list.length === 0) {
    return {
      check: warn(
        'sentinel.replicas',
        'the sentinels know no replica: a failover has nowhere to go',
        'add replicas (replicaof <primary> <port>)',
      ),
      list,
    };
  }
  if (problems.length) {
    return {
      check: warn(
        'sentinel.replicas',
        `${list.length} replica(s); ${problems.join('; ')}`,
        "a failover promotes only a connected, caught-up replica: check the replicas' logs and replica-announce-ip",
      ),
      list,
    };
  }
  const lagText = (r: ReplicaRow): string =>
    r.lagSeconds === null ? r.address : `${r.address} lag ${r.lagSeconds} s`;
  return {
    check: pass(
      'sentinel.replicas',
      `${list.length} replica(s) connected (${list.map(lagText).join(', ')})${p.info ? ", as the primary's INFO says" : ''}`,
    ),
    list,
  };
}
