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
  /** Writes to keys we could not track (over maxTrackedKeys): not judged for TTL. */
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
        if (effect !== 'set') this.untrackedWrites++;
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

  /** A keymiss event: key K was looked up on node `node` db `db` and did not exist. */
  addMiss(_node: number, _db: number, key: Buffer): void {
    const slot = this.slotFor(key);
    if (!slot) return;
    slot.misses++;
    slot.missed.add(key);
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
    for (const s of this.slots.values()) s.withoutTtl = 0;
    for (const st of this.keys.values()) if (st.ttl === 'cleared') st.slot.withoutTtl += st.pending;
    return [...this.slots.values()].map((s) => {
      const reads = Math.max(s.reads, s.misses);
      return {
        prefix: s.prefix,
        reads,
        hits: reads - s.misses,
        misses: s.misses,
        writes: s.writes,
        writesWithoutTtl: s.withoutTtl,
        hotKeys: s.hot.top(this.opts.top),
        missedKeys: s.missed.top(this.opts.top),
      };
    });
  }
}
