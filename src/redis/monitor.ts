/**
 * MONITOR's output, parsed as it streams in. Each line is a RESP2 status reply:
 *
 *   +1700000000.123456 [0 127.0.0.1:6000] "SET" "key" "v\"al\x00ue"
 *
 * The arguments are written by sdscatrepr (sds.c): printable bytes as they are, `\\ \" \n \r
 * \t \a \b` for those bytes and `\xHH` for every other byte, so a line never holds a raw CR or
 * LF and a chunk boundary can fall anywhere. The source is `db addr`, `db lua` or `db unix:path`.
 */
export interface MonitorEntry {
  db: number;
  /** Client address as the server sees it (`127.0.0.1:6000`), or `lua` / `unix:...`. */
  source: string;
  /** Command name first, as typed (case kept); raw bytes. */
  args: Buffer[];
}

const CR = 13;
const LF = 10;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}

/** Decode one quoted argument from `start` (the byte after the opening quote) to `end` (the closing quote). */
function unescape(line: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  let o = 0;
  for (let i = start; i < end; i++) {
    const b = line[i] as number;
    if (b !== BACKSLASH || i + 1 >= end) {
      out[o++] = b;
      continue;
    }
    const e = line[++i] as number;
    switch (e) {
      case 0x6e: // n
        out[o++] = LF;
        break;
      case 0x72: // r
        out[o++] = CR;
        break;
      case 0x74: // t
        out[o++] = 0x09;
        break;
      case 0x61: // a
        out[o++] = 0x07;
        break;
      case 0x62: // b
        out[o++] = 0x08;
        break;
      case 0x78: {
        // x: two hex digits
        const hi = hexValue(line[i + 1] ?? 0);
        const lo = hexValue(line[i + 2] ?? 0);
        if (hi >= 0 && lo >= 0 && i + 2 < end) {
          out[o++] = (hi << 4) | lo;
          i += 2;
        } else out[o++] = e;
        break;
      }
      default: // \" \\ and anything else: the byte itself
        out[o++] = e;
    }
  }
  return out.subarray(0, o);
}

/** Parse one line without its CRLF (and without the leading `+`). Undefined when it is not a command line. */
export function parseMonitorLine(line: Buffer): MonitorEntry | undefined {
  const open = line.indexOf(0x5b); // [
  if (open < 0) return undefined;
  const close = line.indexOf(0x5d, open); // ]
  if (close < 0) return undefined;
  const inside = line.toString('latin1', open + 1, close);
  const sp = inside.indexOf(' ');
  const db = Number(sp < 0 ? inside : inside.slice(0, sp));
  const source = sp < 0 ? '' : inside.slice(sp + 1);
  const args: Buffer[] = [];
  let i = close + 1;
  const n = line.length;
  while (i < n) {
    if (line[i] === SPACE) {
      i++;
      continue;
    }
    if (line[i] !== QUOTE) return undefined;
    const start = i + 1;
    let j = start;
    let escaped = false;
    while (j < n && line[j] !== QUOTE) {
      if (line[j] === BACKSLASH) {
        escaped = true;
        j += 2;
      } else j++;
    }
    if (j > n) j = n;
    // Fast path: most arguments have no escapes and are a plain slice of the chunk.
    args.push(escaped ? unescape(line, start, j) : line.subarray(start, j));
    i = j + 1;
  }
  if (args.length === 0 || !Number.isFinite(db)) return undefined;
  return { db, source, args };
}

/**
 * Incremental parser: push chunks as they arrive; complete lines are handed to onEntry, an
 * incomplete tail is kept for the next chunk. Error replies (`-ERR ...`) go to onError.
 * Entries' Buffers may point into the chunk: copy what you keep beyond the callback.
 */
export class MonitorParser {
  private tail: Buffer | undefined;
  lines = 0;

  constructor(
    private readonly onEntry: (e: MonitorEntry) => void,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.tail) {
      buf = Buffer.concat([this.tail, chunk]);
      this.tail = undefined;
    }
    let from = 0;
    for (;;) {
      const lf = buf.indexOf(LF, from);
      if (lf < 0) break;
      const end = lf > from && buf[lf - 1] === CR ? lf - 1 : lf;
      const type = buf[from];
      if (type === 0x2b /* + */) {
        this.lines++;
        const entry = parseMonitorLine(buf.subarray(from + 1, end));
        if (entry) this.onEntry(entry);
      } else if (type === 0x2d /* - */) {
        this.onError(buf.toString('utf8', from + 1, end));
      }
      from = lf + 1;
    }
    // Copy the tail: the chunk it points into is otherwise kept alive whole.
    if (from < buf.length) this.tail = Buffer.from(buf.subarray(from));
  }
}
