import { keyAccesses, lookupCommand, type CommandTable } from '../../redis/command-keys.js';
import { globMatches } from '../../redis/glob.js';
import type { MonitorEntry } from '../../redis/monitor.js';
import { TopKeys, type KeyCount } from './hits-topk.js';
import { prefixEnd } from './namespaces.js';
import { ttlEffect } from './hits-ttl.js';

/**
 * Everything `stats --hits` counts, fed by MONITOR entries and keymiss events of every primary.
 * Pure (no I/O): the sampler feeds it, the PTTL follow-up answers `pendingTtlChecks()`.
 *
 * Hit attribution: every key a read-only key spec names is one key lookup, as the server
 * counts keyspace_hits + keyspace_misses; a keymiss event for key K is a miss of a read of K,
 * so per namespace hits = reads − misses. Both streams come from the same server in the order
 * it ran the commands, so the only gap is at the window's edges (a read just before the end
 * whose keymiss arrives after it) and commands that look keys up without a read-only key spec
 * (their misses are counted; reads are then at least the misses).
 */
export interface GroupOptions {
  delimiter: string;
  depth: number;
  match?: string;
  /** Keys listed per namespace in hotKeys / missedKeys. */
  top: number;
}

export interface NamespaceHits {
  prefix: Buffer;
  reads: number;
  hits: number;
  misses: number;
  writes: number;
  writesWithoutTtl: number;
  hotKeys: KeyCount[];
  missedKeys: KeyCount[];
}

interface Slot {
  prefix: Buffer;
  reads: number;
  misses: number;
  writes: number;
  withoutTtl: number;
  /** Writes to keys past maxTrackedKeys: judged by the share of the tracked ones. */
  untracked: number;
  hot: TopKeys;
  missed: TopKeys;
}

/** What the window taught us about one written key's TTL. */
interface KeyState {
  node: number;
  db: number;
  key: Buffer;
  slot: Slot;
  /** Writes that keep or drop the TTL, since the key was last created. */
  pending: number;
  ttl: 'set' | 'cleared' | 'unknown';
}

export interface TtlCheck {
  node: number;
  db: number;
  key: Buffer;
  id: string;
}

/** Bounds on our memory whatever the traffic: namespaces and written keys tracked. */
const maxNamespaces = 10_000;
const maxTrackedKeys = 100_000;
/** Reads kept for a keymiss that arrives after its line, and keymiss events kept for a line that lags. */
const recentReads = 8192;
const maxAhead = 200_000;
// Scripts and transactions: their inner commands appear as lines of their own.
const containers = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro', 'exec']);

export class HitsTally {
  private readonly slots = new Map<string, Slot>();
  private readonly keys = new Map<string, KeyState>();
  private readonly delimiter: Buffer;
  private readonly match: Buffer | undefined;
  commands = 0;
  /** Read key lookups seen, before --match: compared with the server's hits + misses. */
  lookupsSeen = 0;
  commandsWithoutKeys = 0;

  unknownCommands = 0;
  /** Keymiss events left out because their reads were never parsed (see settle). */
  droppedMisses = 0;
  private readonly recent = new Map<string, number>();
  private readonly ring: Array<string | undefined> = new Array<string | undefined>(recentReads);
  private ringAt = 0;
  private readonly ahead = new Map<string, { key: Buffer; slot: Slot; count: number }>();
  /** Writes to keys we could not track (over maxTrackedKeys): estimated from the tracked share. */
  untrackedWrites = 0;

  constructor(private readonly opts: GroupOptions) {
    this.delimiter = Buffer.from(opts.delimiter, 'utf8');
    this.match = opts.match === undefined ? undefined : Buffer.from(opts.match, 'utf8');
  }

  private slotFor(key: Buffer): Slot | undefined {
    // The project's byte-level matcher, so --match means what SCAN MATCH means.
    if (this.match && !globMatches(this.match, key)) return undefined;
    const end = prefixEnd(key, this.delimiter, this.opts.depth);
    const id = key.toString('latin1', 0, end);
    let slot = this.slots.get(id);
    if (!slot) {
      const other = this.slots.size >= maxNamespaces;
      const oid = other ? '\u0000other' : id;
      slot = this.slots.get(oid);
      if (!slot) {
        slot = {
          prefix: other ? Buffer.from('(other)') : Buffer.from(key.subarray(0, end)),
          reads: 0,
          misses: 0,
          writes: 0,
          withoutTtl: 0,
          untracked: 0,
          hot: new TopKeys(Math.max(this.opts.top * 4, 32)),
          missed: new TopKeys(Math.max(this.opts.top * 4, 32)),
        };
        this.slots.set(oid, slot);
      }
    }
    return slot;
  }

  /** One MONITOR line from node `node`. */
  addCommand(node: number, e: MonitorEntry, table: CommandTable): void {
    this.commands++;
    const shape = lookupCommand(table, e.args);
    if (!shape) {
      this.unknownCommands++;
      return;
    }
    const name = (e.args[0] as Buffer).toString('latin1').toLowerCase();
    if (containers.has(name)) return;
    const accesses = keyAccesses(shape, e.args);
    if (accesses.length === 0) {
      this.commandsWithoutKeys++;
      return;
    }
    for (const a of accesses) {
      const key = e.args[a.index] as Buffer;
      if (a.read) this.lookupsSeen++;
      const slot = this.slotFor(key);
      if (!slot) continue;
      if (a.read) {
        slot.reads++;
        slot.hot.add(key);
        this.matchRead(node, e.db, key, slot);
        continue;
      }
      slot.writes++;
      this.noteWrite(node, e.db, key, slot, a.remove ? 'remove' : ttlEffect(name, e.args, a.overwrite));
    }
  }

  private noteWrite(
    node: number,
    db: number,
    key: Buffer,
    slot: Slot,
    effect: 'set' | 'clear' | 'keep' | 'remove',
  ): void {
    const id = `${node}:${db}:${key.toString('latin1')}`;
    let st = this.keys.get(id);
    if (effect === 'remove') {
      this.keys.delete(id);
      return;
    }
    if (!st) {
      if (this.keys.size >= maxTrackedKeys) {
        if (effect !== 'set') {
          this.untrackedWrites++;
          slot.untracked++;
        }
        return;
      }
      st = { node, db, key: Buffer.from(key), slot, pending: 0, ttl: 'unknown' };
      this.keys.set(id, st);
    }
    if (effect === 'set') st.ttl = 'set';
    else {
      st.pending++;
      if (effect === 'clear') st.ttl = 'cleared';
    }
  }

  /**
   * The two streams of a node arrive on two sockets, each in the server's order but not in
   * step with each other: a keymiss is matched to a read of the same key, whichever comes
   * first. Reads wait in a short ring (the keymiss may come just after the line); keymiss
   * events wait in `ahead` until their read is parsed (MONITOR, the heavier stream, lags).
   */
  private matchRead(node: number, db: number, key: Buffer, slot: Slot): void {
    const id = `${node}:${db}:${key.toString('latin1')}`;
    const early = this.ahead.get(id);
    if (early) {
      if (--early.count === 0) this.ahead.delete(id);
      this.countMiss(slot, key);
      return;
    }
    const old = this.ring[this.ringAt];
    if (old !== undefined) {
      const n = this.recent.get(old) ?? 0;
      if (n <= 1) this.recent.delete(old);
      else this.recent.set(old, n - 1);
    }
    this.ring[this.ringAt] = id;
    this.ringAt = (this.ringAt + 1) % recentReads;
    this.recent.set(id, (this.recent.get(id) ?? 0) + 1);
  }

  private countMiss(slot: Slot, key: Buffer): void {
    slot.misses++;
    slot.missed.add(key);
  }

  /** A keymiss event: key K was looked up on node `node` db `db` and did not exist. */
  addMiss(node: number, db: number, key: Buffer): void {
    const slot = this.slotFor(key);
    if (!slot) return;
    const id = `${node}:${db}:${key.toString('latin1')}`;
    const n = this.recent.get(id);
    if (n !== undefined) {
      if (n <= 1) this.recent.delete(id);
      else this.recent.set(id, n - 1);
      this.countMiss(slot, key);
      return;
    }
    const early = this.ahead.get(id);
    if (early) early.count++;
    else if (this.ahead.size < maxAhead) this.ahead.set(id, { key: Buffer.from(key), slot, count: 1 });
    else this.countMiss(slot, key);
  }

  /**
   * The window is closed: keymiss events still waiting had no read line. With complete
   * streams they are misses of lookups no read-only key spec names (counted); when MONITOR
   * was cut short (buffer bound, a stall) their reads were never parsed (dropped, so the
   * namespaces' ratios stay those of the traffic that was seen).
   */
  settle(complete: boolean): void {
    for (const e of this.ahead.values()) {
      if (complete) for (let i = 0; i < e.count; i++) this.countMiss(e.slot, e.key);
      else this.droppedMisses += e.count;
    }
    this.ahead.clear();
  }

  /** Written keys whose TTL the window did not decide: ask the server (PTTL) after the window. */
  pendingTtlChecks(): TtlCheck[] {
    const out: TtlCheck[] = [];
    for (const [id, st] of this.keys)
      if (st.ttl === 'unknown' && st.pending > 0) out.push({ node: st.node, db: st.db, key: st.key, id });
    return out;
  }

  /** Answers to pendingTtlChecks: the key's PTTL now (-1 = no TTL, -2 = gone). */
  resolveTtl(id: string, pttl: number): void {
    const st = this.keys.get(id);
    if (st && pttl === -1) st.ttl = 'cleared';
    else if (st) st.ttl = 'set';
  }

  namespaces(): NamespaceHits[] {
    const tracked = new Map<Slot, number>();
    for (const s of this.slots.values()) s.withoutTtl = 0;
    for (const st of this.keys.values()) {
      tracked.set(st.slot, (tracked.get(st.slot) ?? 0) + st.pending);
      if (st.ttl === 'cleared') st.slot.withoutTtl += st.pending;
    }
    return [...this.slots.values()].map((s) => {
      const reads = Math.max(s.reads, s.misses);
      // Past the tracking bound: the untracked writes leak as often as the tracked ones did.
      const judged = tracked.get(s) ?? 0;
      const estimated = s.untracked > 0 && judged > 0 ? Math.round((s.untracked * s.withoutTtl) / judged) : 0;
      return {
        prefix: s.prefix,
        reads,
        hits: reads - s.misses,
        misses: s.misses,
        writes: s.writes,
        writesWithoutTtl: s.withoutTtl + estimated,
        hotKeys: s.hot.top(this.opts.top),
        missedKeys: s.missed.top(this.opts.top),
      };
    });
  }
}
