/**
 * The most frequent keys of a stream in bounded memory: Space-Saving (Metwally et al. 2005).
 * Keeps `capacity` counters; a new key takes over the smallest one and inherits its count as
 * its possible error, so any key seen more than total/capacity times is kept. We report the
 * guaranteed count (count − error): a stream of distinct keys shows 1 each, not inflated counts.
 */
export interface KeyCount {
  key: Buffer;
  count: number;
}

interface Counter {
  key: Buffer;
  count: number;
  error: number;
}

export class TopKeys {
  // latin1 maps bytes 1:1: an exact, binary-safe map key.
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly capacity: number) {}

  add(key: Buffer, n = 1): void {
    const id = key.toString('latin1');
    const c = this.counters.get(id);
    if (c) {
      c.count += n;
      return;
    }
    if (this.counters.size < this.capacity) {
      this.counters.set(id, { key: Buffer.from(key), count: n, error: 0 });
      return;
    }
    let minId = '';
    let min: Counter | undefined;
    for (const [k, v] of this.counters)
      if (!min || v.count < min.count) {
        min = v;
        minId = k;
      }
    if (!min) return;
    this.counters.delete(minId);
    this.counters.set(id, { key: Buffer.from(key), count: min.count + n, error: min.count });
  }

  top(n: number): KeyCount[] {
    return [...this.counters.values()]
      .map((c) => ({ key: c.key, count: c.count - c.error }))
      .sort((a, b) => b.count - a.count || Buffer.compare(a.key, b.key))
      .slice(0, n);
  }
}
