import type { Cluster, Redis } from 'ioredis';
import { compileGlob } from '../redis/glob.js';
import { jobKey, queueKey, type JobState } from './keys.js';

/**
 * `queues jobs <queue>`: list and search jobs with filters that compose, bounded. Each state is
 * read in windows of ids (LRANGE / ZREVRANGE by index, never a whole 500k set in one call) and
 * one HMGET per id, until `limit` jobs matched or `scanLimit` jobs were examined; the result
 * says how many were examined and whether the budget stopped it.
 */
type Client = Redis | Cluster;

export interface JobFilter {
  states: JobState[];
  /** Glob on the job name (MATCH syntax: `*`, `?`, `[...]`). */
  name?: string;
  since?: number;
  until?: number;
  /** Text that must appear in the stored data string. */
  grep?: string;
  /** `a.b` path into the data and the value it must equal (compared as text). */
  dataPath?: { path: string[]; value: string };
  failedReason?: string;
  limit: number;
  scanLimit: number;
  window?: number;
}

export interface FoundJob {
  id: string;
  state: JobState;
  name: string | null;
  timestamp: number | null;
  processedOn: number | null;
  finishedOn: number | null;
  priority: number | null;
  attemptsMade: number;
  failedReason: string | null;
  data: string | null;
}

export interface JobSearch {
  jobs: FoundJob[];
  examined: number;
  /** True when scanLimit stopped the search before every job of the states was examined. */
  budgetHit: boolean;
}

const fields = ['name', 'timestamp', 'processedOn', 'finishedOn', 'priority', 'atm', 'failedReason', 'data'];

const num = (v: string | null | undefined): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

function pathValue(data: string | null, path: string[]): string | undefined {
  if (data === null) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return undefined;
  }
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function matches(job: FoundJob, f: JobFilter, nameMatch?: (key: Buffer) => boolean): boolean {
  if (nameMatch && !nameMatch(Buffer.from(job.name ?? ''))) return false;
  const t = job.timestamp;
  if (f.since !== undefined && (t === null || t < f.since)) return false;
  if (f.until !== undefined && (t === null || t > f.until)) return false;
  if (f.grep !== undefined && !(job.data ?? '').includes(f.grep)) return false;
  if (f.failedReason !== undefined && !(job.failedReason ?? '').includes(f.failedReason)) return false;
  if (f.dataPath && pathValue(job.data, f.dataPath.path) !== f.dataPath.value) return false;
  return true;
}

async function windowIds(client: Client, base: string, state: JobState, from: number, size: number) {
  const to = from + size - 1;
  if (state === 'waiting') return client.lrange(queueKey(base, 'wait'), from, to);
  if (state === 'active') return client.lrange(queueKey(base, 'active'), from, to);
  if (state === 'delayed' || state === 'prioritized')
    return client.zrange(queueKey(base, state), String(from), String(to));
  return client.zrevrange(queueKey(base, state), from, to);
}

export async function searchJobs(client: Client, base: string, f: JobFilter): Promise<JobSearch> {
  const window = f.window ?? 1000;
  // The one glob matcher (src/redis/glob.ts), the same syntax as MATCH.
  const nameMatch = f.name === undefined ? undefined : compileGlob(f.name);
  const jobs: FoundJob[] = [];
  let examined = 0;
  for (const state of f.states) {
    for (let from = 0; ; from += window) {
      if (jobs.length >= f.limit) return { jobs, examined, budgetHit: false };
      if (examined >= f.scanLimit) return { jobs, examined, budgetHit: true };
      const size = Math.min(window, f.scanLimit - examined);
      const ids = (await windowIds(client, base, state, from, size)).filter((id) => !id.startsWith('0:'));
      if (ids.length === 0) break;
      const p = client.pipeline();
      for (const id of ids) p.hmget(jobKey(base, id), ...fields);
      const replies = (await p.exec()) ?? [];
      ids.forEach((id, i) => {
        const v = (replies[i]?.[1] ?? []) as Array<string | null>;
        const job: FoundJob = {
          id,
          state,
          name: v[0] ?? null,
          timestamp: num(v[1]),
          processedOn: num(v[2]),
          finishedOn: num(v[3]),
          priority: num(v[4]),
          attemptsMade: num(v[5]) ?? 0,
          failedReason: v[6] ?? null,
          data: v[7] ?? null,
        };
        if (jobs.length < f.limit && matches(job, f, nameMatch)) jobs.push(job);
      });
      examined += ids.length;
      if (ids.length < size) break;
    }
  }
  return { jobs, examined, budgetHit: false };
}

export type JobSort = 'created' | 'finished' | 'priority';

export function sortJobs(jobs: FoundJob[], by: JobSort | undefined): FoundJob[] {
  if (!by) return jobs;
  const key = (j: FoundJob): number =>
    by === 'created' ? -(j.timestamp ?? 0) : by === 'finished' ? -(j.finishedOn ?? 0) : (j.priority ?? 0);
  return [...jobs].sort((a, b) => key(a) - key(b));
}
