import type { OneReply as Reply } from './resp-one.js';

/**
 * Which arguments of a command are keys, and whether each is read or written, from the
 * server's own command table (`COMMAND INFO` in RESP2, read once per server): Redis 7 key
 * specs (begin_search + find_keys, the algorithm of getKeysUsingKeySpecs in db.c), or the
 * legacy first/last/step triple with the readonly/write command flags on older servers.
 * No hard-coded list of commands, so modules' and future commands are understood too.
 */
type BeginSearch = { kind: 'index'; pos: number } | { kind: 'keyword'; keyword: string; startfrom: number };
type FindKeys =
  | { kind: 'range'; lastkey: number; step: number; limit: number }
  | { kind: 'keynum'; keynumidx: number; firstkey: number; step: number };

export interface KeySpec {
  /** RO: only read; anything else (RW, OW, RM) writes. */
  read: boolean;
  /** OW: the command replaces the value, so an old TTL is gone. */
  overwrite: boolean;
  /** RM / delete: the key is removed. */
  remove: boolean;
  /** The spec may name arguments that are not keys (MIGRATE's "" before KEYS). */
  incomplete: boolean;
  begin: BeginSearch;
  find: FindKeys;
}

export interface CommandShape {
  flags: Set<string>;
  specs: KeySpec[];
  subcommands: Map<string, CommandShape>;
}

export type CommandTable = Map<string, CommandShape>;

export interface KeyAccess {
  index: number;
  read: boolean;
  overwrite: boolean;
  remove: boolean;
}

const text = (r: Reply | undefined): string =>
  Buffer.isBuffer(r) ? r.toString('utf8') : typeof r === 'string' || typeof r === 'number' ? String(r) : '';

/** A RESP2 flat map [k, v, k, v...] → object of replies. */
function pairs(r: Reply | undefined): Map<string, Reply> {
  const out = new Map<string, Reply>();
  if (!Array.isArray(r)) return out;
  for (let i = 0; i + 1 < r.length; i += 2) out.set(text(r[i]).toLowerCase(), r[i + 1] as Reply);
  return out;
}

const num = (r: Reply | undefined): number => Number(text(r));
const list = (r: Reply | undefined): string[] =>
  Array.isArray(r) ? r.map((x) => text(x).toLowerCase()) : [];

function parseSpec(raw: Reply): KeySpec | undefined {
  const m = pairs(raw);
  const flags = new Set(list(m.get('flags')));
  if (flags.has('not_key')) return undefined;
  const bs = pairs(m.get('begin_search'));
  const bsSpec = pairs(bs.get('spec'));
  const fk = pairs(m.get('find_keys'));
  const fkSpec = pairs(fk.get('spec'));
  let begin: BeginSearch;
  const bsType = text(bs.get('type'));
  if (bsType === 'index') begin = { kind: 'index', pos: num(bsSpec.get('index')) };
  else if (bsType === 'keyword')
    begin = {
      kind: 'keyword',
      keyword: text(bsSpec.get('keyword')).toLowerCase(),
      startfrom: num(bsSpec.get('startfrom')),
    };
  else return undefined;
  let find: FindKeys;
  const fkType = text(fk.get('type'));
  if (fkType === 'range')
    find = {
      kind: 'range',
      lastkey: num(fkSpec.get('lastkey')),
      step: num(fkSpec.get('keystep')) || 1,
      limit: num(fkSpec.get('limit')),
    };
  else if (fkType === 'keynum')
    find = {
      kind: 'keynum',
      keynumidx: num(fkSpec.get('keynumidx')),
      firstkey: num(fkSpec.get('firstkey')),
      step: num(fkSpec.get('keystep')) || 1,
    };
  else return undefined;
  return {
    read: flags.has('ro'),
    overwrite: flags.has('ow'),
    remove: flags.has('rm') || flags.has('delete'),
    incomplete: flags.has('incomplete'),
    begin,
    find,
  };
}

/** One entry of COMMAND INFO: [name, arity, flags, first, last, step, (acl, tips, specs, subcommands)]. */
function parseCommand(raw: Reply[]): [string, CommandShape] {
  const name = text(raw[0]).toLowerCase();
  const flags = new Set(list(raw[2]));
  let specs: KeySpec[] = [];
  if (Array.isArray(raw[8])) {
    specs = raw[8].map(parseSpec).filter((s): s is KeySpec => s !== undefined);
  } else {
    // Redis < 7: first/last/step and the command's own read/write flag.
    const first = num(raw[3]);
    const last = num(raw[4]);
    const step = num(raw[5]) || 1;
    if (first > 0) {
      const read = flags.has('readonly');
      specs = [
        {
          read,
          overwrite: false,
          remove: false,
          incomplete: flags.has('movablekeys'),
          begin: { kind: 'index', pos: first },
          find: { kind: 'range', lastkey: last < 0 ? last : last - first, step, limit: 0 },
        },
      ];
    }
  }
  const subcommands = new Map<string, CommandShape>();
  if (Array.isArray(raw[9]))
    for (const sub of raw[9]) {
      if (!Array.isArray(sub)) continue;
      const [subName, shape] = parseCommand(sub);
      // "object|encoding" → "encoding"
      subcommands.set(subName.slice(subName.indexOf('|') + 1), shape);
    }
  return [name, { flags, specs, subcommands }];
}

export function parseCommandTable(reply: Reply): CommandTable {
  const table: CommandTable = new Map();
  if (!Array.isArray(reply)) return table;
  for (const raw of reply) {
    if (!Array.isArray(raw)) continue;
    const [name, shape] = parseCommand(raw);
    table.set(name, shape);
  }
  return table;
}

/** The shape for argv (subcommand resolved), or undefined for a command the server does not list. */
export function lookupCommand(table: CommandTable, args: Buffer[]): CommandShape | undefined {
  const name = args[0];
  if (!name) return undefined;
  const shape = table.get(name.toString('latin1').toLowerCase());
  if (!shape || shape.subcommands.size === 0 || args.length < 2) return shape;
  return shape.subcommands.get((args[1] as Buffer).toString('latin1').toLowerCase()) ?? shape;
}

function equalsIgnoreCase(b: Buffer, lower: string): boolean {
  return b.length === lower.length && b.toString('latin1').toLowerCase() === lower;
}

/** Key positions of argv by the shape's key specs (db.c getKeysUsingKeySpecs). */
export function keyAccesses(shape: CommandShape, args: Buffer[]): KeyAccess[] {
  const argc = args.length;
  const movable = shape.flags.has('movablekeys');
  const out: KeyAccess[] = [];
  for (const spec of shape.specs) {
    let first = 0;
    if (spec.begin.kind === 'index') first = spec.begin.pos;
    else {
      const { keyword, startfrom } = spec.begin;
      const start = startfrom > 0 ? startfrom : argc + startfrom;
      const end = startfrom > 0 ? argc - 1 : 0;
      for (let i = start; ; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (equalsIgnoreCase(args[i] as Buffer, keyword)) {
          first = i + 1;
          break;
        }
        if (i === end) break;
      }
      if (!first) continue;
    }
    let last: number;
    let step: number;
    if (spec.find.kind === 'range') {
      const { lastkey, limit } = spec.find;
      if (lastkey >= 0) last = first + lastkey;
      else if (!limit) last = argc + lastkey;
      else last = first + (Math.floor((argc - first) / limit) + lastkey);
      step = spec.find.step;
    } else {
      const idx = first + spec.find.keynumidx;
      if (idx >= argc) continue;
      const numkeys = Number((args[idx] as Buffer).toString('latin1'));
      if (!Number.isInteger(numkeys) || numkeys < 0) continue;
      first += spec.find.firstkey;
      last = first + numkeys - 1;
      step = spec.find.step;
    }
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < 1) break;
      // MIGRATE ... "" ... KEYS a b: the empty placeholder is not a key (movable keys only).
      if ((spec.incomplete || movable) && (args[i] as Buffer).length === 0) continue;
      out.push({ index: i, read: spec.read, overwrite: spec.overwrite, remove: spec.remove });
    }
  }
  return out;
}
