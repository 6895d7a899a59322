import type { Redis } from 'ioredis';
import { connectStandalone } from '../redis/connect.js';
import { errorText, explainError } from '../redis/hints.js';
import { parseInfo } from '../redis/info.js';
import { redact } from '../redis/secrets.js';
import { addressText, connectSentinel, toRecord, toRecords } from '../redis/sentinel.js';
import type { SentinelAddress } from '../redis/sentinel-target.js';
import type { Target } from '../redis/target.js';
import { withTimeout } from '../redis/timeout.js';
import {
  checkAnnounce,
  checkMaster,
  checkQuorum,
  checkReach,
  checkReplicas,
  sentinelIds,
  type PrimaryProbe,
  type SentinelFacts,
} from './sentinel-checks.js';
import { skip, type CheckResult } from './types.js';

/**
 * doctor's Sentinel ladder: ask every sentinel what it knows (in parallel, each bounded by the
 * timeout), judge the answers (sentinel-checks.ts), then reach the primary they announce.
 * Costs each sentinel a handful of SENTINEL reads; the primary one PING and INFO replication.
 */
export interface SentinelSummary {
  master: string;
  /** The address the reachable sentinels agree on; null when none or they disagree. */
  primary: string | null;
  quorum: number | null;
  sentinels: Array<{ address: string; ok: boolean; primary: string | null; error: string | null }>;
  replicas: Array<{ address: string; flags: string; link: string; lagSeconds: number | null }>;
}

export interface SentinelLadder {
  checks: CheckResult[];
  /** The primary as a plain target, when the sentinels agree on one that answers. */
  primary: Target | null;
  /** Why the usual ladder does not run, when primary is null. */
  why: string;
  summary: SentinelSummary;
}

const clean = (err: unknown): string => redact(errorText(err));

async function ask(client: Redis, timeoutMs: number, ...args: string[]): Promise<unknown> {
  return withTimeout(client.call('SENTINEL', ...args), timeoutMs, `SENTINEL ${args[0] ?? ''}`);
}

export async function probeSentinel(target: Target, addr: SentinelAddress): Promise<SentinelFacts> {
  const name = target.sentinel?.master ?? '';
  const t = target.timeoutMs;
  const facts: SentinelFacts = { address: addressText(addr), reached: false };
  let client: Redis;
  try {
    client = await connectSentinel(target, addr);
  } catch (err) {
    facts.error = clean(err);
    facts.hint = explainError(err).hint;
    return facts;
  }
  try {
    const info = parseInfo(await withTimeout(client.info('server'), t, 'INFO server'));
    facts.mode = info.redis_mode ?? 'unknown';
    facts.reached = true;
    if (facts.mode !== 'sentinel') return facts;
    const addrReply = await ask(client, t, 'GET-MASTER-ADDR-BY-NAME', name);
    if (!Array.isArray(addrReply) || addrReply.length < 2) {
      facts.primary = null;
      facts.knownMasters = toRecords(await ask(client, t, 'MASTERS')).map((m) => m.name ?? '?');
      return facts;
    }
    facts.primary = addressText({ host: String(addrReply[0]), port: Number(addrReply[1]) });
    facts.master = toRecord(await ask(client, t, 'MASTER', name));
    facts.replicas = toRecords(await ask(client, t, 'REPLICAS', name));
    facts.peers = toRecords(await ask(client, t, 'SENTINELS', name));
    try {
      facts.ckquorum = { ok: true, message: String(await ask(client, t, 'CKQUORUM', name)) };
    } catch (err) {
      facts.ckquorum = { ok: false, message: clean(err) };
    }
  } catch (err) {
    facts.error = clean(err);
    facts.hint = explainError(err).hint;
  } finally {
    client.disconnect();
  }
  return facts;
}

/** Connect to the announced primary from here: the NAT trap shows up exactly here. */
async function probePrimary(target: Target, address: string): Promise<PrimaryProbe> {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  const node: Target = { ...target, host: m?.[1] ?? address, port: Number(m?.[2]), sentinel: undefined };
  try {
    const client = await connectStandalone(node, { enableReadyCheck: false });
    try {
      const info = parseInfo(
        await withTimeout(client.info('replication'), target.timeoutMs, 'INFO replication'),
      );
      return { address, target: node, reached: true, info };
    } finally {
      client.disconnect();
    }
  } catch (err) {
    return { address, target: node, reached: false, error: clean(err), cause: explainError(err).cause };
  }
}

export async function runSentinelLadder(target: Target): Promise<SentinelLadder> {
  const s = target.sentinel;
  if (!s) throw new Error('runSentinelLadder needs a sentinel target');
  const facts = await Promise.all(s.sentinels.map((a) => probeSentinel(target, a)));
  const checks: CheckResult[] = [];
  const summary: SentinelSummary = {
    master: s.master,
    primary: null,
    quorum: null,
    sentinels: facts.map((f) => ({
      address: f.address,
      ok: f.reached && f.mode === 'sentinel' && !f.error,
      primary: f.primary ?? null,
      error: f.error ?? (f.reached && f.mode !== 'sentinel' ? `not a sentinel (redis_mode:${f.mode})` : null),
    })),
    replicas: [],
  };
  const rest = (why: string): SentinelLadder => {
    for (const id of sentinelIds.slice(checks.length)) checks.push(skip(id, `not run: ${why}`));
    return { checks, primary: null, why, summary };
  };
  const reach = checkReach(facts);
  checks.push(reach);
  if (reach.status === 'fail') return rest('sentinel.reach did not pass');
  const master = checkMaster(facts, s.master);
  checks.push(master.check);
  summary.primary = master.primary;
  const answering = facts.find((f) => f.primary !== undefined && f.primary !== null && f.master);
  summary.quorum = answering?.master?.quorum !== undefined ? Number(answering.master.quorum) : null;
  checks.push(checkQuorum(facts));
  if (!master.primary) return rest('the sentinels name no single primary');
  const primary = await probePrimary(target, master.primary);
  checks.push(checkAnnounce(primary, facts));
  const replicas = checkReplicas(facts, primary);
  checks.push(replicas.check);
  summary.replicas = replicas.list;
  if (!primary.reached || primary.info?.role !== 'master') {
    return {
      checks,
      primary: null,
      why: 'the announced primary is not reachable from here as a primary',
      summary,
    };
  }
  return { checks, primary: primary.target, why: '', summary };
}
