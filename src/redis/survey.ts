import type { Redis } from 'ioredis';
import { KeyStore } from './key-store.js';
import { RespPipe } from './resp-pipe.js';
import { scanNode } from './scan.js';
import { defaultTimeoutMs } from './timeout.js';

/**
 * The counting pass of `flush`: SCAN every primary in parallel with each pattern, count the
 * matches per node, keep a sample, keep the names (within a memory budget) so the deleting
 * pass need not scan again, and set aside keys a guard wants to look at. SCAN costs the server
 * about 1 s per million keys in the database whatever matches (redis.io/docs/latest/commands/scan/, and `npm run bench flush`), so a second
 * full pass would double the run time on a big server; keeping the names avoids it.
 */
export interface SurveyOptions {
  patterns: Buffer[];
  count: number;
  type?: string;
  signal?: AbortSignal;
  /** Memory for names kept between passes; 0 keeps none (a dry run). */
  retainBytes: number;
  /** Stop as soon as more than this many keys matched (nothing is deleted then). */
  maxKeys?: number;
  sampleSize: number;
  /** Keys a guard wants to look at (e.g. `*:meta`), handed over per batch whatever the budget. */
  isCandidate?: (key: Buffer) => boolean;
  /** Looks at one batch's candidates on the node that returned them; returns what it found. */
  inspect?: (pipe: RespPipe, candidates: Buffer[]) => Promise<string[]>;
  onBatch?: (node: number, keys: number) => void;
  /** Bound for each network step (connect, a reply). */
  timeoutMs?: number;
}

export interface NodeSurvey {
  matched: number;
  store: KeyStore;
}

export interface Survey {
  nodes: NodeSurvey[];
  matched: number;
  sample: Buffer[];
  /** What inspect found (e.g. queue bases), deduplicated. */
  found: Set<string>;
  /** More than maxKeys matched: the pass stopped early. */
  exceeded: boolean;
}

export async function surveyKeys(primaries: Redis[], opts: SurveyOptions): Promise<Survey> {
  const survey: Survey = {
    nodes: primaries.map(() => ({
      matched: 0,
      store: new KeyStore(Math.floor(opts.retainBytes / primaries.length)),
    })),
    matched: 0,
    sample: [],
    found: new Set(),
    exceeded: false,
  };
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  await Promise.all(
    primaries.map(async (node, index) => {
      const mine = survey.nodes[index] as NodeSurvey;
      try {
        await surveyNode(node, index, mine);
      } catch (err) {
        stop.abort(); // one node failed: the others stop too, the caller reports the error
        throw err;
      }
    }),
  );
  if (survey.exceeded) for (const n of survey.nodes) n.store.clear();
  return survey;

  async function surveyNode(node: Redis, index: number, mine: NodeSurvey): Promise<void> {
    // A raw pipe for the SCAN chain: through ioredis, parsing a million key names costs more
    // client CPU than the server spends scanning them (see resp-pipe.ts).
    const pipe = await RespPipe.openLike(node, opts.timeoutMs ?? defaultTimeoutMs);
    try {
      await scanWith(pipe, index, mine);
    } finally {
      pipe.close();
    }
  }

  async function scanWith(pipe: RespPipe, index: number, mine: NodeSurvey): Promise<void> {
    for (const match of opts.patterns) {
      for await (const keys of scanNode(pipe, { match, count: opts.count, type: opts.type, signal })) {
        if (signal.aborted) break;
        mine.matched += keys.length;
        survey.matched += keys.length;
        mine.store.add(keys);
        const candidates: Buffer[] = [];
        for (const k of keys) {
          if (survey.sample.length < opts.sampleSize) survey.sample.push(Buffer.from(k));
          if (opts.isCandidate?.(k)) candidates.push(k);
        }
        // In bulk, on this node, before the next batch: memory holds one batch's candidates.
        if (candidates.length > 0 && opts.inspect)
          for (const f of await opts.inspect(pipe, candidates)) survey.found.add(f);
        opts.onBatch?.(index, keys.length);
        if (opts.maxKeys !== undefined && survey.matched > opts.maxKeys) {
          survey.exceeded = true;
          stop.abort();
        }
      }
      if (signal.aborted) return;
    }
  }
}
