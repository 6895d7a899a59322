import type { KeyScriptStep } from '../../redis/key-script.js';
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
  /** Elements in its collections (hash fields, list items, members, stream entries). */
  elements: number;
}

export interface BigKey {
  key: Buffer;
  type: string;
  bytes: number;
  /** Elements of a collection; null for a string. */
  elements: number | null;
}

/** A key by its LFU counter (`--hot`). */
export interface HotKey {
  key: Buffer;
  type: string;
  freq: number;
}

/** Keep the n largest by `score` (descending), in a small sorted array: n is --top. */
function offerTop<T>(list: T[], n: number, item: T, score: (x: T) => number): void {
  if (n <= 0) return;
  const last = list[list.length - 1];
  if (list.length >= n && last && score(item) <= score(last)) return;
  list.push(item);
  list.sort((a, b) => score(b) - score(a));
  if (list.length > n) list.length = n;
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
  elements: number;
}

/**
 * Prefixes counted one by one per node before the tally starts folding the smallest into
 * "other": about 300 bytes each, so a node's tally stays under ~30 MB whatever the keyspace
 * (5M distinct ids at --depth 2 used to take 4.4 GB). Below it every figure is exact.
 */
export const defaultMaxPrefixes = 100_000;

/** What was folded away when the tally was full: counted, not told apart. */
export interface OtherPrefixes {
  /** Prefixes folded in (a prefix seen again after folding counts again: approximate). */
  prefixes: number;
  keys: number;
  bytes: number;
  noTtlKeys: number;
}

export class NamespaceTally {
  // latin1 strings map bytes 1:1, so this is an exact, binary-safe map key.
  private readonly slots = new Map<string, Slot>();
  /** Folded-away prefixes; null while every prefix has its own count (exact). */
  other: OtherPrefixes | null = null;
  private big: BigKey[] = [];
  private longest: BigKey[] = [];
  private hottest: HotKey[] = [];
  /** Keys seen (including ones that vanished before they were sized). */
  visited = 0;
  /**
   * The keyspace hits and misses our own reads added to INFO stats: TYPE and PTTL count as
   * lookups on the server (measured on 7.0: so do OBJECT, EXISTS, SCAN ... TYPE, the *LEN
   * commands), MEMORY USAGE does not. Reported so figures read later can be corrected.
   */
  lookupHits = 0;
  lookupMisses = 0;
  vanished = 0;

  constructor(
    private readonly delimiter: Buffer,
    private readonly depth: number,
    private readonly topKeys: number,
    private readonly maxPrefixes = defaultMaxPrefixes,
  ) {}

  /**
   * Heavy hitters with bounded memory (lossy counting): when full, keep the half with the most
   * keys and fold the rest into `other`. A namespace big enough to matter is never folded once
   * it has more keys than the smaller half, so the top of the table stays right; its count can
   * miss what it had before an earlier fold, which is why the result then says "approximate".
   */
  private fold(): void {
    const ranked = [...this.slots.entries()].sort((a, b) => b[1].keys - a[1].keys);
    const other = (this.other ??= { prefixes: 0, keys: 0, bytes: 0, noTtlKeys: 0 });
    for (const [id, slot] of ranked.slice(Math.floor(this.maxPrefixes / 2))) {
      other.prefixes++;
      other.keys += slot.keys;
      other.bytes += slot.bytes;
      other.noTtlKeys += slot.noTtlKeys;
      this.slots.delete(id);
    }
  }

  private slotFor(prefix: Buffer): Slot {
    const id = prefix.toString('latin1');
    let slot = this.slots.get(id);
    if (!slot) {
      slot = {
        prefix: Buffer.from(prefix),
        keys: 0,
        bytes: 0,
        unknownBytes: 0,
        noTtlKeys: 0,
        types: new Map(),
        elements: 0,
      };
      if (this.slots.size >= this.maxPrefixes) this.fold();
      this.slots.set(id, slot);
    }
    return slot;
  }

  /**
   * What one server-side call summed (key-script.ts): its rows per prefix, and its top keys
   * (the top of all calls' tops is the top of all keys). `visited` is the caller's, as in add().
   */
  addSummary(step: KeyScriptStep): void {
    for (const row of step.rows) {
      const slot = this.slotFor(row.prefix);
      slot.keys += row.keys;
      slot.bytes += row.bytes;
      slot.unknownBytes += row.unknownBytes;
      slot.noTtlKeys += row.noTtlKeys;
      slot.elements += row.elements;
      for (const [type, n] of row.types) slot.types.set(type, (slot.types.get(type) ?? 0) + n);
    }
    const copy = (k: { key: Buffer }): Buffer => Buffer.from(k.key);
    for (const k of step.biggest)
      offerTop(
        this.big,
        this.topKeys,
        { key: copy(k), type: k.type, bytes: k.value, elements: k.elements },
        (x) => x.bytes,
      );
    for (const k of step.mostElements)
      offerTop(
        this.longest,
        this.topKeys,
        { key: copy(k), type: k.type, bytes: k.value, elements: k.elements },
        (x) => x.elements ?? 0,
      );
    for (const k of step.hot)
      offerTop(this.hottest, this.topKeys, { key: copy(k), type: k.type, freq: k.value }, (x) => x.freq);
    this.vanished += step.vanished;
    this.lookupHits += step.lookupHits;
    this.lookupMisses += step.lookupMisses;
  }

  add(keys: Buffer[], sizes: KeySizes): void {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as Buffer;
      const type = sizes.types[i] as string;
      if (sizes.lookupHits === undefined) {
        if (type === 'none') this.lookupMisses++;
        else this.lookupHits++;
        if (sizes.pttls[i] === -2) this.lookupMisses++;
        else this.lookupHits++;
      }
      if (type === 'none') {
        this.vanished++;
        continue;
      }
      const slot = this.slotFor(key.subarray(0, prefixEnd(key, this.delimiter, this.depth)));
      slot.keys++;
      const bytes = sizes.bytes[i] ?? null;
      const elements = sizes.elements?.[i] ?? null;
      if (elements !== null) {
        slot.elements += elements;
        offerTop(
          this.longest,
          this.topKeys,
          { key: Buffer.from(key), type, bytes: bytes ?? 0, elements },
          (k) => k.elements ?? 0,
        );
      }
      const freq = sizes.freqs?.[i] ?? null;
      if (freq !== null)
        offerTop(this.hottest, this.topKeys, { key: Buffer.from(key), type, freq }, (k) => k.freq);
      if (bytes === null) slot.unknownBytes++;
      else {
        slot.bytes += bytes;
        offerTop(this.big, this.topKeys, { key: Buffer.from(key), type, bytes, elements }, (k) => k.bytes);
      }
      if (sizes.pttls[i] === -1) slot.noTtlKeys++;
      slot.types.set(type, (slot.types.get(type) ?? 0) + 1);
    }
    this.lookupHits += sizes.lookupHits ?? 0;
    this.lookupMisses += sizes.lookupMisses ?? 0;
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
      elements: r(s.elements),
    }));
  }

  biggest(): BigKey[] {
    return this.big;
  }

  /** The collections with the most elements (redis-cli --bigkeys' view). */
  mostElements(): BigKey[] {
    return this.longest;
  }

  hot(): HotKey[] {
    return this.hottest;
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
      cur.elements += ns.elements;
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
