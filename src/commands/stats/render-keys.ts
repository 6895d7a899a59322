import { displayKey, shortKey } from '../../redis/scan.js';
import { color } from '../../ui/colors.js';
import { formatBytes, formatCount, formatPercent } from '../../ui/format.js';
import { shortenMiddle } from '../../ui/live.js';
import type { KeysJson, KeysResult } from './types.js';
import { gridTable } from '../../ui/table.js';

/** The documented JSON shape (README "stats --keys --json"); binary names shown escaped. */
export function toKeysJson(r: KeysResult): KeysJson {
  return {
    scanned: r.scanned,
    estimated: r.estimated,
    memoryKnown: r.memoryKnown,
    namespaces: r.namespaces.map((n) => ({
      prefix: displayKey(n.prefix),
      keys: n.keys,
      bytes: n.bytes,
      noTtlKeys: n.noTtlKeys,
      types: n.types,
      elements: n.elements,
    })),
    totalNamespaces: r.totalNamespaces,
    approximate: r.approximate,
    other: r.other,
    ownLookups: r.ownLookups,
    biggest: r.biggest.map((b) => ({
      key: shortKey(b.key),
      type: b.type,
      bytes: b.bytes,
      elements: b.elements,
    })),
    mostElements: r.mostElements.map((b) => ({
      key: shortKey(b.key),
      type: b.type,
      bytes: b.bytes,
      elements: b.elements,
    })),
    hot: r.hot === null ? null : r.hot.map((h) => ({ key: shortKey(h.key), type: h.type, freq: h.freq })),
    failedNodes: r.failed,
  };
}

/**
 * `width`: the terminal's columns. Key names and prefixes are shortened in the middle to fit
 * (`user:…:profile`); only here, never in what is matched or deleted.
 */
export function renderKeys(r: KeysResult, target: string, width?: number): string {
  const keyRoom = width === undefined ? Infinity : Math.max(16, width - 48);
  const short = (s: string): string => (keyRoom === Infinity ? s : shortenMiddle(s, keyRoom));
  const c = color();
  const est = r.estimated ? '~' : '';
  const head = `${c.bold('redis-ops stats --keys')}  ${target}`;
  const note = r.estimated
    ? `sampled ${formatCount(r.scanned)} keys; figures marked ~ are estimates scaled to DBSIZE`
    : `scanned ${formatCount(r.scanned)} keys`;
  const out = [head, '', note];
  if (!r.memoryKnown)
    out.push(c.yellow('MEMORY USAGE is not allowed here: memory is unknown, counts are exact'));
  if (r.approximate)
    out.push(
      c.yellow(
        `approximate: more distinct prefixes than fit in memory; the smallest were folded into "other" (counts of the top namespaces may be a little low)`,
      ),
    );
  // A bar per namespace for its share of the memory (of the keys where memory is unknown).
  const weight = (n: { bytes: number | null; keys: number }): number =>
    r.memoryKnown ? (n.bytes ?? 0) : n.keys;
  const total = r.namespaces.reduce((sum, n) => sum + weight(n), 0) + (r.other ? weight(r.other) : 0);
  const bar = (n: { bytes: number | null; keys: number }): string =>
    shareBar(total === 0 ? 0 : weight(n) / total);
  // The elements column only where there are collections and room (a 7-column table needs ~70).
  const withElements = (width === undefined || width >= 72) && r.namespaces.some((n) => n.elements > 0);
  const rows = r.namespaces.map((n) => [
    n.prefix.length === 0 ? c.dim('(no prefix)') : `${short(displayKey(n.prefix))}*`,
    `${est}${formatCount(n.keys)}`,
    n.bytes === null ? 'unknown' : `${est}${formatBytes(n.bytes)}`,
    bar(n),
    formatPercent(n.keys === 0 ? null : n.noTtlKeys / n.keys, '-'),
    ...(withElements ? [n.elements > 0 ? `${est}${formatCount(n.elements)}` : '-'] : []),
    Object.entries(n.types)
      .map(([t, k]) => `${t} ${est}${formatCount(k)}`)
      .join(', '),
  ]);
  if (r.other)
    rows.push([
      c.dim(`other (${formatCount(r.other.prefixes)} prefixes)`),
      `~${formatCount(r.other.keys)}`,
      r.memoryKnown ? `~${formatBytes(r.other.bytes)}` : 'unknown',
      bar(r.other),
      formatPercent(r.other.keys === 0 ? null : r.other.noTtlKeys / r.other.keys, '-'),
      ...(withElements ? [''] : []),
      '',
    ]);
  out.push(
    '',
    gridTable(
      ['namespace', 'keys', 'memory', 'share', 'no TTL', ...(withElements ? ['elements'] : []), 'types'],
      rows,
      ['left', 'right', 'right', 'left', 'right', ...(withElements ? (['right'] as const) : []), 'left'],
      width,
    ),
  );
  const more = r.totalNamespaces - r.namespaces.length - (r.other?.prefixes ?? 0);
  if (more > 0) out.push(c.dim(`(${more} more namespaces; raise --top to see them)`));
  if (r.biggest.length > 0) {
    out.push('', c.bold('biggest keys'));
    out.push(
      gridTable(
        ['key', 'type', 'memory', 'elements'],
        r.biggest.map((b) => [short(shortKey(b.key)), b.type, formatBytes(b.bytes), formatElements(b)]),
        ['left', 'left', 'right', 'right'],
        width,
      ),
    );
  }
  if (r.mostElements.length > 0) {
    out.push('', c.bold('most elements'));
    out.push(
      gridTable(
        ['key', 'type', 'elements', 'memory'],
        r.mostElements.map((b) => [short(shortKey(b.key)), b.type, formatElements(b), formatBytes(b.bytes)]),
        ['left', 'left', 'right', 'right'],
        width,
      ),
    );
  }
  if (r.hot !== null) {
    out.push('', `${c.bold('hottest keys')} ${c.dim('(OBJECT FREQ: LFU counter, logarithmic, 0-255)')}`);
    out.push(
      r.hot.length === 0
        ? 'no key has been read since it was written'
        : gridTable(
            ['key', 'type', 'freq'],
            r.hot.map((h) => [short(shortKey(h.key)), h.type, String(h.freq)]),
            ['left', 'left', 'right'],
            width,
          ),
    );
  }
  for (const f of r.failed) out.push(c.red(`node ${f.address} failed: ${f.error}`));
  out.push(
    '',
    c.dim(
      `this run added ${formatCount(r.ownLookups.hits)} keyspace hits and ${formatCount(r.ownLookups.misses)} misses to INFO stats (TYPE, PTTL, the element counts${r.hot === null ? '' : ' and OBJECT FREQ'} count as lookups; subtract them from a hit ratio read afterwards)`,
    ),
  );
  return out.join('\n');
}

const unit: Record<string, string> = {
  hash: 'fields',
  list: 'items',
  set: 'members',
  zset: 'members',
  stream: 'entries',
};

/** `100.0k fields`, as redis-cli --bigkeys names them; '-' for strings. */
function formatElements(b: { type: string; elements: number | null }): string {
  return b.elements === null ? '-' : `${formatCount(b.elements)} ${unit[b.type] ?? ''}`.trimEnd();
}

/** ██████▌    : eight steps per cell, ten cells for 100%. */
export function shareBar(share: number, width = 10): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8] ?? '';
  return `${'█'.repeat(Math.floor(eighths / 8))}${partial}`.padEnd(width, ' ');
}
