import type { KeySizes } from '../../redis/key-sizes.js';

/**
 * Keys grouped by prefix, on bytes: a prefix is the key up to and including its depth-th
 * delimiter, so `cache:page:1` at depth 1 is `cache:`. Keys with fewer delimiters group
 * under the longest prefix they have; keys with none under the empty prefix. Pure.
 */
export interface Namespace {
  prefix: Buffer;
  keys: number;
  /** null when MEMORY USAGE was unavailable for any of its keys. */
  bytes: number | null;
  noTtlKeys: number;
  types: Record<string, number>;
}

export interface BigKey {
  key: Buffer;
  type: string;
  bytes: number;
}

export function prefixEnd(key: Buffer, delimiter: Buffer, depth: number): number {
  let end = 0;
  let from = 0;
  for (let d = 0; d < depth; d++) {
    const i = key.indexOf(delimiter, from);
    if (i < 0) break;
    end = i + delimiter.length;
    from = end;
  }
  return end;
}

interface Slot {
  prefix: Buffer;
  keys: number;
  bytes: number;
  unknownBytes: number;
  noTtlKeys: number;
  types: Map<string, number>;
}

export class NamespaceTally {
  // latin1 strings map bytes 1:1, so this is an exact, binary-safe map key.
  private readonly slots = new Map<string, Slot>();
  private big: BigKey[] = [];
  /** Keys seen (including ones that vanished before they were sized). */
  visited = 0;
  vanished = 0;

  constructor(
    private readonly delimiter: Buffer,
    private readonly depth: number,
    private readonly topKeys: number,
  ) {}

  add(keys: Buffer[], sizes: KeySizes): void {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as Buffer;
      const type = sizes.types[i] as string;
      if (type === 'none') {
        this.vanished++;
        continue;
      }
      const end = prefixEnd(key, this.delimiter, this.depth);
      const id = key.toString('latin1', 0, end);
      let slot = this.slots.get(id);
      if (!slot) {
        slot = {
          prefix: Buffer.from(key.subarray(0, end)),
          keys: 0,
          bytes: 0,
          unknownBytes: 0,
          noTtlKeys: 0,
          types: new Map(),
        };
        this.slots.set(id, slot);
      }
      slot.keys++;
      const bytes = sizes.bytes[i] ?? null;
      if (bytes === null) slot.unknownBytes++;
      else {
        slot.bytes += bytes;
        this.offerBig(key, type, bytes);
      }
      if (sizes.pttls[i] === -1) slot.noTtlKeys++;
      slot.types.set(type, (slot.types.get(type) ?? 0) + 1);
    }
  }

  private offerBig(key: Buffer, type: string, bytes: number): void {
    if (this.topKeys <= 0) return;
    const last = this.big[this.big.length - 1];
    if (this.big.length >= this.topKeys && last && bytes <= last.bytes) return;
    this.big.push({ key: Buffer.from(key), type, bytes });
    this.big.sort((a, b) => b.bytes - a.bytes);
    if (this.big.length > this.topKeys) this.big.length = this.topKeys;
  }

  /** The namespaces, with counts multiplied by scale (1 unless sampling). */
  namespaces(scale = 1): Namespace[] {
    const r = (x: number): number => (scale === 1 ? x : Math.round(x * scale));
    return [...this.slots.values()].map((s) => ({
      prefix: s.prefix,
      keys: r(s.keys),
      bytes: s.unknownBytes > 0 ? null : r(s.bytes),
      noTtlKeys: r(s.noTtlKeys),
      types: Object.fromEntries([...s.types].sort((a, b) => b[1] - a[1]).map(([t, n]) => [t, r(n)])),
    }));
  }

  biggest(): BigKey[] {
    return this.big;
  }
}

/** Merge namespaces from several nodes (same prefix → summed). */
export function mergeNamespaces(lists: Namespace[][]): Namespace[] {
  const out = new Map<string, Namespace>();
  for (const list of lists) {
    for (const ns of list) {
      const id = ns.prefix.toString('latin1');
      const cur = out.get(id);
      if (!cur) {
        out.set(id, { ...ns, types: { ...ns.types } });
        continue;
      }
      cur.keys += ns.keys;
      cur.bytes = cur.bytes === null || ns.bytes === null ? null : cur.bytes + ns.bytes;
      cur.noTtlKeys += ns.noTtlKeys;
      for (const [t, n] of Object.entries(ns.types)) cur.types[t] = (cur.types[t] ?? 0) + n;
    }
  }
  return [...out.values()];
}

/** Biggest first by memory; by key count where memory is unknown. */
export function rankNamespaces(list: Namespace[]): Namespace[] {
  return [...list].sort(
    (a, b) => (b.bytes ?? -1) - (a.bytes ?? -1) || b.keys - a.keys || Buffer.compare(a.prefix, b.prefix),
  );
}
