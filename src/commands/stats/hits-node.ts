import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { parseCommandTable, type CommandTable } from '../../redis/command-keys.js';
import { infoNumber, parseInfo } from '../../redis/info.js';
import { MonitorParser, type MonitorEntry } from '../../redis/monitor.js';
import { openRaw } from '../../redis/raw-connection.js';
import { scalarText } from '../../text.js';
import { parseOneReply as parseReply, type OneReply as Reply } from '../../redis/resp-one.js';
import { RespPipe } from '../../redis/resp-pipe.js';
import { withTimeout } from '../../redis/timeout.js';
import { nodeAddress } from './snapshot.js';

/**
 * One primary's part of a `stats --hits` sample: its command table, a MONITOR connection
 * parsed as it streams, a PSUBSCRIBE to its keymiss events, and a watch on the MONITOR
 * connection's output buffer on the server (CLIENT LIST omem), polled by the ordinary client.
 */
export interface NodeHooks {
  /** epoch: how many of our markers this stream has passed (0: before the window opened). */
  onCommand(e: MonitorEntry, epoch: number): void;
  onMiss(db: number, key: Buffer, epoch: number): void;
  /** The node asks the sample to stop (buffer bound, lost connection). */
  onStop(reason: string, error?: boolean): void;
}

export interface NodeSetup {
  keymiss: boolean;
  maxBufferBytes: number;
  timeoutMs: number;
  /** Test hook: do not read the MONITOR socket (a stuck consumer). */
  pauseReader?: boolean;
}

const text = (r: Reply | undefined): string => (Buffer.isBuffer(r) ? r.toString('utf8') : scalarText(r));

/** The server's command table, once per server, over RESP2 (flat arrays, no RESP3 maps). */
export async function readCommandTable(pipe: RespPipe): Promise<CommandTable> {
  let [reply] = await pipe.send([['COMMAND', 'INFO']]);
  // Redis < 7 wants names after COMMAND INFO; plain COMMAND lists them all there.
  if (reply instanceof Error || (Array.isArray(reply) && reply.length === 0))
    [reply] = await pipe.send([['COMMAND']]);
  if (reply instanceof Error) throw reply;
  return parseCommandTable(reply as Reply);
}

/** `addr=` of a client's own CLIENT INFO (6.2+), to leave our own commands out. */
async function ownAddress(node: Redis, ms: number): Promise<string | undefined> {
  try {
    const info = String(await withTimeout(node.call('CLIENT', 'INFO'), ms, 'CLIENT INFO'));
    return /(?:^| )addr=(\S+)/.exec(info)?.[1];
  } catch {
    return undefined;
  }
}

export interface InfoPoint {
  hits: number;
  misses: number;
  commands: number;
}

function infoPoint(raw: string): InfoPoint {
  const info = parseInfo(raw);
  return {
    hits: infoNumber(info, 'keyspace_hits') ?? 0,
    misses: infoNumber(info, 'keyspace_misses') ?? 0,
    commands: infoNumber(info, 'total_commands_processed') ?? 0,
  };
}

function isMarker(args: Buffer[], marker: Buffer): boolean {
  return (
    args.length === 2 &&
    (args[0] as Buffer).length === 6 &&
    (args[0] as Buffer).toString('latin1').toLowerCase() === 'exists' &&
    (args[1] as Buffer).equals(marker)
  );
}

/** A key that no app uses and that lives on this node (on a cluster: a hash tag in its slots). */
async function pickMarker(pipe: RespPipe, node: Redis): Promise<Buffer> {
  const base = `redis-ops:hits-marker:${randomBytes(6).toString('hex')}`;
  const [clusterInfo] = await pipe.send([['INFO', 'cluster']]);
  if (!/cluster_enabled:1/.test(text(clusterInfo))) return Buffer.from(base);
  const [nodes] = await pipe.send([['CLUSTER', 'NODES']]);
  const mine = text(nodes)
    .split('\n')
    .find((l) => l.split(' ')[2]?.includes('myself'));
  const ranges = (mine ?? '')
    .split(' ')
    .slice(8)
    .filter((r) => /^\d+(-\d+)?$/.test(r))
    .map((r) => r.split('-').map(Number) as [number, number?]);
  const owns = (slot: number): boolean => ranges.some(([a, z]) => slot >= a && slot <= (z ?? a));
  for (let round = 0; round < 8; round++) {
    const names = Array.from({ length: 64 }, (_, i) => `${base}:{${round * 64 + i}}`);
    const slots = await pipe.send(names.map((n) => ['CLUSTER', 'KEYSLOT', n]));
    const i = slots.findIndex((s) => typeof s === 'number' && owns(s));
    if (i >= 0) return Buffer.from(names[i] as string);
  }
  throw new Error(`no slot owned by ${nodeAddress(node)} (is the cluster resharding?)`);
}

export function parseOmem(clientList: string): number | undefined {
  const m = /(?:^| )omem=(\d+)/.exec(clientList);
  return m ? Number(m[1]) : undefined;
}

export class NodeSampler {
  readonly address: string;
  table: CommandTable = new Map();
  /** Addresses of our own connections: their commands are not the apps' traffic. */
  readonly own = new Set<string>();
  peakBufferBytes = 0;
  /** Why the buffer could not be watched (CLIENT LIST denied), if so. */
  bufferUnwatched: string | undefined;
  /** Commands we sent on the polling client during the window (left out of INFO deltas). */
  ownCommands = 0;
  /** Bytes read from MONITOR and keymiss so far: progress while catching up. */
  private bytesIn = 0;
  /** Markers passed by each stream; see cut(). */
  monitorEpoch = 0;
  missEpoch = 0;
  private marker: Buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private monitorDone = false;
  private subDone = true;
  private monitor: Socket | undefined;
  private sub: Socket | undefined;
  private clientId: string | undefined;
  private poller: NodeJS.Timeout | undefined;
  private pipe: RespPipe | undefined;

  constructor(
    readonly node: Redis,
    private readonly setup: NodeSetup,
    private readonly hooks: NodeHooks,
  ) {
    this.address = nodeAddress(node);
  }

  /** Read the command table and open the side connection used after the window (PTTL). */
  async prepare(): Promise<void> {
    this.pipe = await RespPipe.openLike(this.node, this.setup.timeoutMs);
    this.table = await readCommandTable(this.pipe);
    const [pipeInfo] = await this.pipe.send([['CLIENT', 'INFO']]);
    const pipeAddr = /(?:^| )addr=(\S+)/.exec(text(pipeInfo))?.[1];
    const addr = await ownAddress(this.node, this.setup.timeoutMs);
    for (const a of [addr, pipeAddr]) if (a) this.own.add(a);
    this.marker = await pickMarker(this.pipe, this.node);
  }

  /**
   * Cut the streams here: EXISTS on a key that never exists shows up in MONITOR and as a
   * keymiss event at the same point of the server's command order, so both streams split at
   * exactly the same command; INFO stats in the same write runs right after it, before any
   * other client's command (a pipeline from one client is executed back to back).
   */
  async cut(): Promise<InfoPoint> {
    this.ownCommands += 2;
    const [, info] = await this.sidePipe().send([
      ['EXISTS', this.marker],
      ['INFO', 'stats'],
    ]);
    if (info instanceof Error) throw info;
    return infoPoint(text(info));
  }

  /**
   * Wait until both streams passed marker n (or closed). A parser that is behind keeps
   * reading what the server already buffered (bounded by --max-buffer), so wait as long as it
   * makes progress; give up only after `stallMs` without a byte.
   */
  async passed(n: number, stallMs: number): Promise<boolean> {
    const done = (): boolean =>
      (this.monitorDone || this.monitorEpoch >= n) && (this.subDone || this.missEpoch >= n);
    let seen = this.bytesIn;
    let lastProgress = Date.now();
    while (!done()) {
      if (this.bytesIn !== seen) {
        seen = this.bytesIn;
        lastProgress = Date.now();
      }
      if (Date.now() - lastProgress > stallMs) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  private wakeWaiters(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  sidePipe(): RespPipe {
    if (!this.pipe) throw new Error('prepare() first');
    return this.pipe;
  }

  async startKeymiss(): Promise<void> {
    const conn = await openRaw(this.node, [['PSUBSCRIBE', '__keyevent@*__:keymiss']], this.setup.timeoutMs);
    const [ack] = conn.replies;
    if (ack instanceof Error) {
      conn.socket.destroy();
      throw ack;
    }
    this.sub = conn.socket;
    let buf = conn.rest;
    const drain = (): void => {
      let at = 0;
      for (;;) {
        const r = parseReply(buf, at);
        if (!r) break;
        at = r[1];
        // ['pmessage', pattern, '__keyevent@<db>__:keymiss', key]
        const msg = r[0];
        if (!Array.isArray(msg) || text(msg[0]) !== 'pmessage') continue;
        const db = Number(/@(\d+)__/.exec(text(msg[2]))?.[1] ?? 0);
        const key = msg[3];
        if (!Buffer.isBuffer(key)) continue;
        if (key.equals(this.marker)) {
          this.missEpoch++;
          this.wakeWaiters();
        } else this.hooks.onMiss(db, key, this.missEpoch);
      }
      buf = buf.subarray(at);
    };
    conn.socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      drain();
    });
    conn.socket.on('error', () => undefined);
    conn.socket.on('close', () => {
      this.subDone = true;
      this.wakeWaiters();
      if (this.sub) this.hooks.onStop(`the keymiss subscription to ${this.address} closed`, true);
    });
    this.subDone = false;
    drain();
    conn.socket.resume();
  }

  async startMonitor(): Promise<void> {
    const conn = await openRaw(
      this.node,
      [['CLIENT', 'SETNAME', 'redis-ops-monitor'], ['CLIENT', 'ID'], ['MONITOR']],
      this.setup.timeoutMs,
    );
    const [, id, ack] = conn.replies;
    if (ack instanceof Error) {
      conn.socket.destroy();
      throw ack;
    }
    this.clientId = typeof id === 'number' ? String(id) : undefined;
    this.monitor = conn.socket;
    const parser = new MonitorParser(
      (e) => {
        if (isMarker(e.args, this.marker)) {
          this.monitorEpoch++;
          this.wakeWaiters();
        } else if (!this.own.has(e.source)) this.hooks.onCommand(e, this.monitorEpoch);
      },
      (message) => this.hooks.onStop(`MONITOR on ${this.address} answered: ${message}`, true),
    );
    conn.socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      parser.push(chunk);
    });
    conn.socket.on('error', () => undefined);
    conn.socket.on('close', () => {
      this.monitorDone = true;
      this.wakeWaiters();
      if (this.monitor) this.hooks.onStop(`the MONITOR connection to ${this.address} closed`, true);
    });
    parser.push(conn.rest);
    if (!this.setup.pauseReader) conn.socket.resume();
    this.schedulePoll(1000);
  }

  /** Once a second (ten times when past half the bound): how big is our output buffer there? */
  private schedulePoll(ms: number): void {
    this.poller = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    if (!this.monitor || !this.clientId) return;
    let next = 1000;
    try {
      this.ownCommands++;
      const line = String(
        await withTimeout(
          this.node.call('CLIENT', 'LIST', 'ID', this.clientId),
          this.setup.timeoutMs,
          'CLIENT LIST',
        ),
      );
      const omem = parseOmem(line);
      if (omem !== undefined) {
        this.peakBufferBytes = Math.max(this.peakBufferBytes, omem);
        if (omem > this.setup.maxBufferBytes) {
          // Free the server's memory first, then tell the sample (it reports what was seen).
          await this.stopMonitor();
          this.hooks.onStop(
            `our MONITOR output buffer on ${this.address} reached ${omem} bytes (bound ${this.setup.maxBufferBytes}): the tool fell behind`,
          );
          return;
        }
        if (omem > this.setup.maxBufferBytes / 2) next = 100;
      }
    } catch (err) {
      this.bufferUnwatched = err instanceof Error ? err.message : String(err);
      return;
    }
    if (this.monitor) this.schedulePoll(next);
  }

  /** End MONITOR: close our socket and, in case the server still holds a big buffer for it, kill it there. */
  async stopMonitor(): Promise<void> {
    clearTimeout(this.poller);
    const socket = this.monitor;
    this.monitor = undefined;
    this.monitorDone = true;
    this.wakeWaiters();
    if (!socket) return;
    socket.destroy();
    if (this.clientId && this.peakBufferBytes > 0) {
      this.ownCommands++;
      await withTimeout(
        this.node.call('CLIENT', 'KILL', 'ID', this.clientId),
        this.setup.timeoutMs,
        'CLIENT KILL',
      ).catch(() => undefined);
    }
  }

  stopKeymiss(): void {
    const s = this.sub;
    this.sub = undefined;
    this.subDone = true;
    s?.destroy();
  }

  close(): void {
    clearTimeout(this.poller);
    const m = this.monitor;
    this.monitor = undefined;
    m?.destroy();
    this.stopKeymiss();
    this.pipe?.close();
  }
}
