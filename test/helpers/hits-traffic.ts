import type { Cluster, Redis } from 'ioredis';

/**
 * Cache traffic of a known shape for `stats --hits` tests, sent until stop():
 * - a: reads, 19 of every 20 on keys that exist (95% hits);
 * - b: reads, every other one on a key that exists (50% hits);
 * - c: SET without a TTL (every write leaves its key without one);
 * - d: a rate limiter, INCR then EXPIRE, with 1 EXPIRE in 20 (5%) skipped.
 * a: and b: keys are written with SET ... EX first (writes with a TTL).
 */
export interface TrafficTruth {
  aReads: number;
  bReads: number;
  cWrites: number;
  dIncrs: number;
  dSkipped: number;
}

export async function seedTraffic(c: Redis | Cluster, keys = 500): Promise<void> {
  for (let i = 0; i < keys; i += 50)
    await Promise.all(
      Array.from({ length: 50 }, (_, j) =>
        Promise.all([c.set(`a:${i + j}`, 'v', 'EX', 600), c.set(`b:${i + j}`, 'v', 'EX', 600)]),
      ),
    );
}

export function startTraffic(c: Redis | Cluster, keys = 500): { stop(): Promise<TrafficTruth> } {
  const truth: TrafficTruth = { aReads: 0, bReads: 0, cWrites: 0, dIncrs: 0, dSkipped: 0 };
  let stopped = false;
  let n = 0;
  const loop = (async () => {
    while (!stopped) {
      const batch: Array<Promise<unknown>> = [];
      for (let j = 0; j < 25; j++, n++) {
        const i = n;
        batch.push(c.get(i % 20 === 0 ? `a:miss:${i}` : `a:${i % keys}`));
        batch.push(c.get(i % 2 === 0 ? `b:${i % keys}` : `b:miss:${i}`));
        batch.push(c.set(`c:${i}`, 'v'));
        const skip = i % 20 === 7;
        batch.push(c.incr(`d:${i}`).then(() => (skip ? null : c.expire(`d:${i}`, 600))));
        if (i % 10 === 0) batch.push(c.set(`a:${i % keys}`, 'v', 'EX', 600));
        truth.aReads++;
        truth.bReads++;
        truth.cWrites++;
        truth.dIncrs++;
        if (skip) truth.dSkipped++;
      }
      await Promise.all(batch);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return truth;
    },
  };
}
