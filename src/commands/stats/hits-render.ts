import { displayKey } from '../../redis/scan.js';
import { formatCount, formatPercent, formatRate } from '../../ui/format.js';
import type { HitGate } from './hits-options.js';
import type { KeymissState } from './hits-keymiss.js';
import type { SampleResult, WindowResult } from './hits-sample.js';
import type { NamespaceHits } from './hits-tally.js';
import { gridTable } from '../../ui/table.js';
import type { HitsJson } from './types.js';

export type { HitsJson };

/** `stats --hits` output: the JSON document (README "stats --hits") and the table. Pure. */
export interface HitsReport {
  target: string;
  result: WindowResult & Partial<Pick<SampleResult, 'stop' | 'nodes' | 'peakBufferBytes'>>;
  keymiss: KeymissState;
  keymissReason?: string;
  restored: boolean;
  gates: HitGate[];
}

export function hitRatio(ns: NamespaceHits, keymiss: KeymissState): number | null {
  if (keymiss === 'unavailable' || ns.reads === 0) return null;
  return ns.hits / ns.reads;
}

export function toHitsJson(r: HitsReport): HitsJson {
  const known = r.keymiss !== 'unavailable';
  return {
    durationMs: r.result.durationMs,
    commandsSeen: r.result.commandsSeen,
    coverage: r.result.coverage,
    globalHitRatio: r.result.globalHitRatio,
    namespaces: r.result.namespaces.map((ns) => ({
      prefix: displayKey(ns.prefix),
      reads: ns.reads,
      hits: known ? ns.hits : null,
      misses: known ? ns.misses : null,
      hitRatio: hitRatio(ns, r.keymiss),
      writes: ns.writes,
      writesWithoutTtl: ns.writesWithoutTtl,
      hotKeys: ns.hotKeys.map((k) => ({ key: displayKey(k.key), reads: k.count })),
      missedKeys: known ? ns.missedKeys.map((k) => ({ key: displayKey(k.key), misses: k.count })) : [],
    })),
    keymiss: r.keymiss,
    restored: r.restored,
  };
}

/** The sum over namespaces: what the sample itself says the hit ratio was. */
export function sampledHitRatio(result: WindowResult): number | null {
  let reads = 0;
  let hits = 0;
  for (const ns of result.namespaces) {
    reads += ns.reads;
    hits += ns.hits;
  }
  return reads > 0 ? hits / reads : null;
}

export interface GateVerdict {
  gate: HitGate;
  actual: number | null;
  /** true = met, false = under target, null = could not be judged (why). */
  ok: boolean | null;
  why?: string;
}

export function evaluateGates(r: HitsReport): GateVerdict[] {
  return r.gates.map((gate) => {
    if (gate.prefix === undefined) {
      const actual = r.result.globalHitRatio;
      if (actual === null) return { gate, actual, ok: null, why: 'the server counted no key lookups' };
      return { gate, actual, ok: actual >= gate.min };
    }
    if (r.keymiss === 'unavailable')
      return { gate, actual: null, ok: null, why: r.keymissReason ?? 'key-miss events are unavailable' };
    const ns = r.result.namespaces.find((n) => displayKey(n.prefix) === gate.prefix);
    const actual = ns ? hitRatio(ns, r.keymiss) : null;
    if (actual === null) return { gate, actual, ok: null, why: 'no reads of it in the sample' };
    return { gate, actual, ok: actual >= gate.min };
  });
}

const barWidth = 20;

export function ratioBar(ratio: number | null): string {
  if (ratio === null) return ' '.repeat(barWidth);
  const full = Math.round(ratio * barWidth);
  return '█'.repeat(full) + '░'.repeat(barWidth - full);
}

export function renderHits(r: HitsReport): string {
  const res = r.result;
  const secs = Math.max(res.durationMs / 1000, 0.001);
  const under = new Map<string, number>();
  for (const v of evaluateGates(r)) if (v.ok === false && v.gate.prefix) under.set(v.gate.prefix, v.gate.min);
  const nodes = res.nodes ?? 1;
  const lines: string[] = [
    `Sampled ${secs.toFixed(1)} s of traffic on ${r.target} (${nodes} primar${nodes === 1 ? 'y' : 'ies'}): ` +
      `${formatCount(res.commandsSeen)} commands, ${formatCount(res.commandsWithoutKeys)} without keys`,
    `Coverage: ${formatPercent(res.coverage, 'unknown')} of the server's key lookups ` +
      `(${formatCount(res.lookupsSeen)} seen of ${formatCount(res.serverLookups)} in INFO)`,
    `Hit ratio: ${formatPercent(res.globalHitRatio)} whole server (INFO) · ` +
      `${r.keymiss === 'unavailable' ? 'unknown' : formatPercent(sampledHitRatio(res))} sum over namespaces`,
  ];
  if (r.keymiss === 'unavailable')
    lines.push(`Per-namespace hit ratios unavailable: ${r.keymissReason ?? 'no key-miss events'}`);
  lines.push('');
  if (res.namespaces.length === 0) {
    lines.push('No key-taking commands seen in the window.');
    return lines.join('\n');
  }
  const rows = res.namespaces.map((ns) => {
    const ratio = hitRatio(ns, r.keymiss);
    const prefix = displayKey(ns.prefix);
    const mark = under.get(prefix);
    return [
      prefix === '' ? '(no prefix)' : prefix,
      formatRate(ns.reads / secs, '/s'),
      `${ratioBar(ratio)} ${formatPercent(ratio, r.keymiss === 'unavailable' ? 'unknown' : 'none')}` +
        (mark === undefined ? '' : ` ✖ under ${formatPercent(mark)}`),
      r.keymiss === 'unavailable' ? 'unknown' : formatRate(ns.misses / secs, '/s'),
      formatRate(ns.writes / secs, '/s'),
      ns.writesWithoutTtl > 0 ? `${formatCount(ns.writesWithoutTtl)} ⚠` : '0',
    ];
  });
  lines.push(
    gridTable(['namespace', 'reads', 'hit ratio', 'misses', 'writes', 'writes w/o TTL'], rows, [
      'left',
      'right',
      'left',
      'right',
      'right',
      'right',
    ]),
  );
  const missed = res.namespaces.filter((ns) => ns.missedKeys.length > 0 && r.keymiss !== 'unavailable');
  if (missed.length > 0) {
    lines.push('', 'Most missed keys:');
    for (const ns of missed.slice(0, 5))
      lines.push(
        `  ${ns.missedKeys.map((k) => `${displayKey(k.key)} (${formatCount(k.count)})`).join(', ')}`,
      );
  }
  const hot = res.namespaces.filter((ns) => ns.hotKeys.length > 0);
  if (hot.length > 0) {
    lines.push('', 'Hottest keys by reads:');
    for (const ns of hot.slice(0, 5))
      lines.push(`  ${ns.hotKeys.map((k) => `${displayKey(k.key)} (${formatCount(k.count)})`).join(', ')}`);
  }
  if (res.namespaces.some((ns) => ns.writesWithoutTtl > 0))
    lines.push(
      '',
      '⚠ writes w/o TTL: writes that left their key without a TTL (SET without EX/PX, or INCR/HSET/... on a key',
      '  with no TTL and no EXPIRE in the window): the leak of an "INCR then EXPIRE" that lost its EXPIRE.',
    );
  return lines.join('\n');
}
