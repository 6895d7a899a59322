/**
 * A value read from YAML or a Redis reply as text. Scalars read as themselves; Buffers as UTF-8;
 * anything else (a map, a list, null) as '' rather than "[object Object]".
 */
export function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return v.toString();
  return '';
}
