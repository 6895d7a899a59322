import { compareVersions } from '../redis/info.js';

/**
 * A queue's base key `<prefix>:<name>` does not say where the prefix ends: both may contain
 * ':' (`myapp:jobs:reports`). In order of trust:
 *  - flag:      the caller named the prefixes (--prefix), longest first;
 *  - client:    a worker or queue-events connection is named `<prefix>:<base64(name)>[:w:<id>|:qe]`
 *               (CLIENT LIST), which pins the split exactly;
 *  - name-rule: BullMQ ≥ 5.12.12 refuses ':' in queue names, so the name is the last segment;
 *  - guess:     older or meta-less queues: a prefix seen on a certain queue (or "bull"), else
 *               the last segment.
 */
export type SplitSource = 'flag' | 'client' | 'name-rule' | 'guess';

export interface SplitHints {
  prefixes?: string[];
  clientNames?: string[];
  /** Prefixes known to be real (from certain splits of other queues). */
  knownPrefixes?: string[];
}

export interface Split {
  prefix: string;
  name: string;
  split: SplitSource;
}

const colonRuleSince = '5.12.12';

function longestPrefix(base: string, prefixes: string[]): string | undefined {
  return [...prefixes]
    .sort((a, b) => b.length - a.length)
    .find((p) => base.startsWith(`${p}:`) && base.length > p.length + 1);
}

/** Every connection name a queue's clients may use, reduced to `<prefix>:<base64(name)>`. */
export function clientNameStems(names: string[]): Set<string> {
  const stems = new Set<string>();
  for (const n of names) {
    if (!n) continue;
    stems.add(n);
    if (n.endsWith(':qe')) stems.add(n.slice(0, -3));
    // A worker name may itself contain ":w:", so every cut is a candidate.
    for (let i = n.indexOf(':w:'); i > 0; i = n.indexOf(':w:', i + 1)) stems.add(n.slice(0, i));
  }
  return stems;
}

function splitByClient(base: string, stems: Set<string>): Split | undefined {
  for (let i = base.indexOf(':'); i > 0; i = base.indexOf(':', i + 1)) {
    const prefix = base.slice(0, i);
    const name = base.slice(i + 1);
    if (name && stems.has(`${prefix}:${Buffer.from(name).toString('base64')}`))
      return { prefix, name, split: 'client' };
  }
  return undefined;
}

/** True when meta.version is a BullMQ that forbids ':' in queue names. */
export function forbidsColonInName(version: string | null): boolean {
  const m = /^bullmq:(\d+\.\d+\.\d+)/.exec(version ?? '');
  return m !== null && compareVersions(m[1] as string, colonRuleSince) >= 0;
}

function splitLast(base: string): { prefix: string; name: string } | undefined {
  const i = base.lastIndexOf(':');
  return i > 0 && i < base.length - 1 ? { prefix: base.slice(0, i), name: base.slice(i + 1) } : undefined;
}

/**
 * Split one base. `hints` may be a plain prefix list (the --prefix values), as callers of the
 * first version passed it.
 */
export function splitBase(
  base: string,
  hints?: string[] | SplitHints,
  version: string | null = null,
  stems?: Set<string>,
): Split | undefined {
  const h: SplitHints = Array.isArray(hints) ? { prefixes: hints } : (hints ?? {});
  if (h.prefixes && h.prefixes.length > 0) {
    const p = longestPrefix(base, h.prefixes);
    return p === undefined ? undefined : { prefix: p, name: base.slice(p.length + 1), split: 'flag' };
  }
  const byClient = splitByClient(base, stems ?? clientNameStems(h.clientNames ?? []));
  if (byClient) return byClient;
  const last = splitLast(base);
  if (!last) return undefined;
  if (forbidsColonInName(version)) return { ...last, split: 'name-rule' };
  const known = longestPrefix(base, [...(h.knownPrefixes ?? []), 'bull']);
  if (known !== undefined) return { prefix: known, name: base.slice(known.length + 1), split: 'guess' };
  return { ...last, split: 'guess' };
}

/** Split many bases: the certain splits first, whose prefixes then guide the uncertain ones. */
export function splitBases(
  rows: Array<{ base: string; version: string | null }>,
  hints: SplitHints = {},
): Array<Split | undefined> {
  const stems = clientNameStems(hints.clientNames ?? []);
  const first = rows.map((r) => splitBase(r.base, hints, r.version, stems));
  const knownPrefixes = [
    ...new Set(first.filter((s) => s && s.split !== 'guess').map((s) => (s as Split).prefix)),
  ];
  if (knownPrefixes.length === 0) return first;
  return rows.map((r, i) =>
    first[i]?.split === 'guess' ? splitBase(r.base, { ...hints, knownPrefixes }, r.version, stems) : first[i],
  );
}
