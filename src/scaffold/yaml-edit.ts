import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  visit,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/**
 * Byte-preserving edits of a YAML file. The yaml Document is used only to find things (every
 * node knows its source offsets); the file is changed by inserting or replacing text at those
 * offsets, so every byte outside an edit stays as the user wrote it: comments, anchors, quoting,
 * `0400`, CRLF, tabs. Re-stringifying the Document would change all of those (yaml's docs on Parser and CST, eemeli.org/yaml/#parser).
 * Generic on purpose: init's service, adopt and wire edits, and later topologies, all use it.
 */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Why: shown next to the diff (e.g. "health check authenticates"). */
  reason: string;
  /** Column of inserted text: at one offset, deeper insertions (a list item) go before a new key. */
  col?: number;
}

export interface YamlStyle {
  eol: '\n' | '\r\n';
  /** Spaces per nesting level. */
  indent: number;
  /** Whether "- item" lines are indented under their key (true) or at the key's column. */
  indentSeq: boolean;
  quote: 'double' | 'single';
  /** Blank line between top-level entries of "services:" (as the file does). */
  blankBetween: boolean;
}

/** Reading options for real compose files: merges on, no alias limit (Sentry's has hundreds). */
export const readOptions = { merge: true } as const;
export const jsOptions = { maxAliasCount: -1 } as const;

export function parseYaml(text: string): Document {
  return parseDocument(text, readOptions);
}

export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Offset of the start of the line after the one holding offset-1 (the end of a node's content). */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

export function keyName(p: Pair): string {
  const k = p.key;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'symbol' ? String(k) : String(k);
}

export const isMergeKey = (p: Pair): boolean => {
  const k = p.key;
  return typeof k === 'symbol' || (isScalar(k) && k.value === '<<');
};

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => !isMergeKey(p) && keyName(p) === key);
}

/** Detect the file's own style from its services (or any block) so new text matches it. */
export function detectStyle(text: string, doc: Document): YamlStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let indent = 2;
  let indentSeq = true;
  let blankBetween = false;
  const root = doc.contents;
  const services = isMap(root) ? (root.get('services', true) as unknown) : undefined;
  if (isMap(services) && services.items.length > 0) {
    const first = services.items[0] as Pair;
    const k = first.key as Node | undefined;
    if (k?.range) indent = columnOf(text, k.range[0]) || 2;
    const second = services.items[1];
    const k2 = second?.key as Node | undefined;
    if (k2?.range) {
      const before = text.slice(0, k2.range[0]).replace(/[ \t]*$/, '');
      blankBetween = /\r?\n[ \t]*\r?\n(?:[ \t]*#[^\n]*\n)*$/.test(before);
    }
  }
  // Sequence indentation: the first block sequence under a key anywhere in the file.
  let found = false;
  visit(doc, {
    Pair(_, pair) {
      if (found) return visit.BREAK;
      const v = pair.value as Node | null;
      const k = pair.key as Node | null;
      if (isSeq(v) && !v.flow && v.range && k?.range && v.items.length > 0) {
        indentSeq = columnOf(text, v.range[0]) > columnOf(text, k.range[0]);
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  let single = 0;
  let double = 0;
  visit(doc, {
    Scalar(_, s) {
      if (s.type === Scalar.QUOTE_SINGLE) single++;
      if (s.type === Scalar.QUOTE_DOUBLE) double++;
    },
  });
  return { eol, indent, indentSeq, quote: single > double ? 'single' : 'double', blankBetween };
}

/**
 * YAML text for a value, in the file's style, every line shifted to column `at`. Comments and
 * quote types on the nodes are kept (they come from our templates, not from the user's file).
 */
/** Words YAML 1.1 readers (Compose v1's PyYAML) take for booleans, null or numbers. */
const yaml11Special =
  /^(y|n|yes|no|on|off|true|false|null|~|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?|0[0-7]+|0x[\da-fA-F]+)$/i;

export function renderBlock(value: unknown, style: YamlStyle, at: number): string {
  const doc = value instanceof Document ? value : new Document(value);
  visit(doc, {
    Scalar(_, s) {
      if (typeof s.value === 'string' && s.type !== Scalar.QUOTE_SINGLE && yaml11Special.test(s.value))
        s.type = Scalar.QUOTE_DOUBLE;
    },
  });
  if (style.quote === 'single') {
    visit(doc, {
      Scalar(_, s) {
        if (s.type === Scalar.QUOTE_DOUBLE && typeof s.value === 'string' && !/['\\\n]/.test(s.value))
          s.type = Scalar.QUOTE_SINGLE;
      },
    });
  }
  const text = doc.toString({
    indent: style.indent,
    indentSeq: style.indentSeq,
    lineWidth: 0,
    flowCollectionPadding: false,
  });
  const pad = ' '.repeat(at);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l === '' ? '' : pad + l))
    .join(style.eol);
}

/** A string that is always quoted, in the file's quote style (ports, health check tests). */
export function quoted(value: string, style: YamlStyle): Scalar {
  const s = new Scalar(value);
  s.type = style.quote === 'single' && !value.includes("'") ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
  return s;
}

export function quotedText(value: string, style: YamlStyle): string {
  return style.quote === 'single' && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

/** A scalar as a flow value in the file's quote style (quoted only where YAML needs it). */
export function flowScalar(value: string, style: YamlStyle): string {
  const s = new Scalar(value);
  const plain = new Document(s).toString({ lineWidth: 0 }).replace(/\n$/, '');
  if (plain === value) return value;
  return style.quote === 'single' && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

/** Collects edits against one text and applies them together (offsets are the original's). */
export class YamlEditor {
  readonly doc: Document;
  readonly style: YamlStyle;
  readonly edits: TextEdit[] = [];
  /** Pairs added to a map in this session: a second add of the same key merges into the first. */
  private readonly added = new Map<
    YAMLMap,
    Map<string, { edit: TextEdit; value: unknown; blank: boolean }>
  >();

  constructor(readonly text: string) {
    this.doc = parseYaml(text);
    this.style = detectStyle(text, this.doc);
  }

  get eol(): string {
    return this.style.eol;
  }

  insert(at: number, text: string, reason: string): void {
    const col = /^(?:\r?\n)*( *)/.exec(text)?.[1]?.length ?? 0;
    this.edits.push({ start: at, end: at, text, reason, col });
  }

  replace(node: Node, text: string, reason: string): void {
    const [start, end] = node.range ?? [0, 0];
    // A block collection's range ends after its last line break: keep one there.
    const keepEol = this.text.slice(start, end).endsWith('\n') && !text.endsWith('\n');
    this.edits.push({ start, end, text: keepEol ? text + this.eol : text, reason });
  }

  /** Column of the keys of a block map (its first key's column). */
  keyColumn(map: YAMLMap): number {
    const k = map.items[0]?.key as Node | undefined;
    return k?.range ? columnOf(this.text, k.range[0]) : 0;
  }

  /** Where a new pair goes at the end of a block map: the start of the line after its content. */
  endOfMap(map: YAMLMap): number {
    const last = map.items[map.items.length - 1];
    const node = (last?.value ?? last?.key) as Node | null | undefined;
    const end = node?.range?.[1] ?? map.range?.[1] ?? this.text.length;
    return afterLine(this.text, end);
  }

  /** Text before an insertion at the end of the file, when it does not end with a newline. */
  private lead(at: number): string {
    return at === this.text.length && this.text !== '' && !this.text.endsWith('\n') ? this.eol : '';
  }

  /**
   * Add key: value at the end of a map. A flow map (`{}` or `{a: 1}`) is replaced by a block,
   * since appending inside braces cannot carry a nested block.
   */
  addPair(map: YAMLMap, key: string, value: unknown, reason: string, blankBefore = false): void {
    if (map.flow || map.items.length === 0) {
      const col = this.childColumn(map);
      const merged = new Document((map.toJSON() ?? {}) as object);
      (merged.contents as YAMLMap).set(key, value);
      this.replace(map, this.eol + renderBlock(merged, this.style, col), reason);
      return;
    }
    const at = this.endOfMap(map);
    const col = this.keyColumn(map);
    const pending = this.added.get(map)?.get(key);
    if (pending) {
      const merged = mergeValues(pending.value, value);
      pending.value = merged;
      pending.edit.text = `${this.lead(at)}${pending.blank ? this.eol : ''}${renderBlock({ [key]: merged }, this.style, col)}${this.eol}`;
      pending.edit.reason += `; ${reason}`;
      return;
    }
    const block = renderBlock({ [key]: value }, this.style, col);
    this.insert(at, `${this.lead(at)}${blankBefore ? this.eol : ''}${block}${this.eol}`, reason);
    const edit = this.edits[this.edits.length - 1] as TextEdit;
    if (!this.added.has(map)) this.added.set(map, new Map());
    this.added.get(map)?.set(key, { edit, value, blank: blankBefore });
  }

  /** Add key: <raw text> at the end of a block map (the value already written in YAML). */
  addRawPair(map: YAMLMap, key: string, raw: string, reason: string): void {
    const at = this.endOfMap(map);
    const col = this.keyColumn(map);
    this.insert(at, `${this.lead(at)}${' '.repeat(col)}${key}: ${raw}${this.eol}`, reason);
  }

  /** Append text at the end of a scalar's content (inside its quotes, if quoted). */
  appendToScalar(node: Scalar, text: string, reason: string): void {
    const [start, end] = node.range ?? [0, 0];
    const src = this.text.slice(start, end);
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    this.insert(quoted ? start + src.length - 1 : end, text, reason);
  }

  /** Append items to a sequence, block or flow, in its own form. */
  addItems(seq: YAMLSeq, items: unknown[], reason: string): void {
    if (seq.flow) {
      const close = (seq.range?.[1] ?? 0) - 1;
      let at = close;
      while (at > 0 && /\s/.test(this.text[at - 1] ?? '')) at--;
      const sep = seq.items.length > 0 ? ', ' : '';
      // Inside [ ] the flow indicators , [ ] { } need quotes too.
      const parts = items.map((i) =>
        typeof i === 'string'
          ? /^[\w./@=+-]+$/.test(i) && !yaml11Special.test(i)
            ? i
            : quotedText(i, this.style)
          : JSON.stringify(i),
      );
      this.insert(at, sep + parts.join(', '), reason);
      return;
    }
    const first = seq.items[0] as Node | undefined;
    // The dash column: the item's content column less the "- " before it.
    const col = first?.range
      ? this.text.lastIndexOf('-', first.range[0] - 1) - (this.text.lastIndexOf('\n', first.range[0]) + 1)
      : 0;
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    const at = afterLine(this.text, last?.range?.[1] ?? seq.range?.[1] ?? this.text.length);
    const block = renderBlock(items, this.style, Math.max(0, col));
    this.insert(at, `${this.lead(at)}${block}${this.eol}`, reason);
  }

  /**
   * Replace a node (scalar, alias, collection) by a new value: a scalar inline, a collection as
   * a block under its key (keyColumn: the column of the key that holds the node).
   */
  setNode(node: Node, value: unknown, keyColumn: number, reason: string): void {
    if (value === null || typeof value !== 'object') {
      this.replace(node, flowScalar(String(value), this.style), reason);
      return;
    }
    const seqAtKey = Array.isArray(value) && !this.style.indentSeq;
    const block = renderBlock(value, this.style, seqAtKey ? keyColumn : keyColumn + this.style.indent);
    const [start] = node.range ?? [0];
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const ownLine = this.text.slice(lineStart, start).trim() === '';
    // On its own line the node's column is already there: keep only the spaces beyond it.
    const nodeCol = start - lineStart;
    const lead = /^ */.exec(block)?.[0].length ?? 0;
    if (ownLine) this.replace(node, block.slice(Math.min(lead, nodeCol)), reason);
    else this.replaceAfterKey(node, this.eol + block, reason);
  }

  /** Replace a node that follows "key: " by text starting on a new line (no trailing space left). */
  replaceAfterKey(node: Node, text: string, reason: string): void {
    const [start0, end] = node.range ?? [0, 0];
    let start = start0;
    while (start > 0 && (this.text[start - 1] === ' ' || this.text[start - 1] === '\t')) start--;
    const keepEol = this.text.slice(start0, end).endsWith('\n') && !text.endsWith('\n');
    this.edits.push({ start, end, text: keepEol ? text + this.eol : text, reason });
  }

  childColumn(map: YAMLMap): number {
    // The column a key inside this (flow or empty) map would get: its parent key's + indent.
    const [start] = map.range ?? [0];
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const indent = /^[ ]*/.exec(this.text.slice(lineStart))?.[0].length ?? 0;
    return indent + this.style.indent;
  }

  /** The text with every edit applied (later offsets first, so earlier ones stay valid). */
  apply(): string {
    return applyEdits(this.text, this.edits);
  }
}

function mergeValues(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
  if (a && b && typeof a === 'object' && typeof b === 'object') return { ...a, ...b };
  return b;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  // Applied from the end; at one offset the last applied ends up first: deeper, then earlier.
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.start - a.e.start || (a.e.col ?? 0) - (b.e.col ?? 0) || b.i - a.i);
  let out = text;
  for (const { e } of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
