import { compareVersions } from '../redis/info.js';

/**
 * A queue's base key `<prefix>:<name>` does not say where the prefix ends: both may contain
 * ':' (`myapp:jobs:reports`). The rule, the same on every run (it never depends on which
 * workers happen to be connected), in this order:
 *  - name-rule:     BullMQ ≥ 5.12.12 refuses ':' in queue names (meta.version says which BullMQ
 *                   wrote the queue), so the name is the last segment; --prefix then only filters;
 *  - flag:          older or meta-less queues under a --prefix: the longest --prefix given;
 *  - known-prefix:  older or meta-less queues: the longest prefix of a name-rule queue in the same
 *                   keyspace, or BullMQ's default "bull";
 *  - first-segment: otherwise the prefix is the first segment (prefixes rarely contain ':',
 *                   names of old BullMQ often do: `acme:tenant:1` → acme / tenant:1). Pass
 *                   --prefix for a multi-segment prefix.
 */
export type SplitSource = 'name-rule' | 'flag' | 'known-prefix' | 'first-segment';

export interface SplitHints {
  prefixes?: string[];
  /** Prefixes known to be real (from name-rule splits of other queues). */
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

/** True when meta.version is a BullMQ that forbids ':' in queue names. */
export function forbidsColonInName(version: string | null): boolean {
  let forbids = forbidsByVersion.get(version);
  if (forbids === undefined) {
    const m = /^bullmq:(\d+\.\d+\.\d+)/.exec(version ?? '');
    forbids = m !== null && compareVersions(m[1] as string, colonRuleSince) >= 0;
    forbidsByVersion.set(version, forbids);
  }
  return forbids;
}
// Thousands of queues share a handful of versions.
const forbidsByVersion = new Map<string | null, boolean>();

function cut(base: string, i: number): { prefix: string; name: string } | undefined {
  return i > 0 && i < base.length - 1 ? { prefix: base.slice(0, i), name: base.slice(i + 1) } : undefined;
}

/**
 * Split one base. `hints` may be a plain prefix list (the --prefix values). With --prefix, a
 * base under none of them is not returned.
 */
export function splitBase(
  base: string,
  hints?: string[] | SplitHints,
  version: string | null = null,
): Split | undefined {
  const h: SplitHints = Array.isArray(hints) ? { prefixes: hints } : (hints ?? {});
  const flag = h.prefixes && h.prefixes.length > 0 ? longestPrefix(base, h.prefixes) : undefined;
  if (h.prefixes && h.prefixes.length > 0 && flag === undefined) return undefined;
  if (forbidsColonInName(version)) {
    const last = cut(base, base.lastIndexOf(':'));
    if (last) return { ...last, split: 'name-rule' };
  }
  if (flag !== undefined) return { prefix: flag, name: base.slice(flag.length + 1), split: 'flag' };
  const known = longestPrefix(base, [...(h.knownPrefixes ?? []), 'bull']);
  if (known !== undefined)
    return { prefix: known, name: base.slice(known.length + 1), split: 'known-prefix' };
  const first = cut(base, base.indexOf(':'));
  return first ? { ...first, split: 'first-segment' } : undefined;
}

/** Split many bases: the name-rule splits first, whose prefixes then guide the others. */
export function splitBases(
  rows: Array<{ base: string; version: string | null }>,
  hints: SplitHints = {},
): Array<Split | undefined> {
  const first = rows.map((r) => splitBase(r.base, hints, r.version));
  const knownPrefixes = [
    ...new Set(first.filter((s) => s?.split === 'name-rule').map((s) => (s as Split).prefix)),
  ];
  if (knownPrefixes.length === 0) return first;
  return rows.map((r, i) =>
    first[i]?.split === 'known-prefix' || first[i]?.split === 'first-segment'
      ? splitBase(r.base, { ...hints, knownPrefixes }, r.version)
      : first[i],
  );
}
