import { displayKey, shortKey } from '../../redis/scan.js';
import { color } from '../../ui/colors.js';
import { formatBytes, formatCount, formatPercent } from '../../ui/format.js';
import { shortenMiddle } from '../../ui/live.js';
import type { KeysJson, KeysResult } from './types.js';
import { gridTable } from './table.js';

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
    })),
    totalNamespaces: r.totalNamespaces,
    biggest: r.biggest.map((b) => ({ key: shortKey(b.key), type: b.type, bytes: b.bytes })),
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
  const rows = r.namespaces.map((n) => [
    n.prefix.length === 0 ? c.dim('(no prefix)') : `${short(displayKey(n.prefix))}*`,
    `${est}${formatCount(n.keys)}`,
    n.bytes === null ? 'unknown' : `${est}${formatBytes(n.bytes)}`,
    formatPercent(n.keys === 0 ? null : n.noTtlKeys / n.keys, '-'),
    Object.entries(n.types)
      .map(([t, k]) => `${t} ${est}${formatCount(k)}`)
      .join(', '),
  ]);
  out.push(
    '',
    gridTable(
      ['namespace', 'keys', 'memory', 'no TTL', 'types'],
      rows,
      ['left', 'right', 'right', 'right', 'left'],
      width,
    ),
  );
  if (r.totalNamespaces > r.namespaces.length)
    out.push(c.dim(`(${r.totalNamespaces - r.namespaces.length} more namespaces; raise --top to see them)`));
  if (r.biggest.length > 0) {
    out.push('', c.bold('biggest keys'));
    out.push(
      gridTable(
        ['key', 'type', 'memory'],
        r.biggest.map((b) => [short(shortKey(b.key)), b.type, formatBytes(b.bytes)]),
        ['left', 'left', 'right'],
        width,
      ),
    );
  }
  for (const f of r.failed) out.push(c.red(`node ${f.address} failed: ${f.error}`));
  return out.join('\n');
}
