/** A tiny XML reader for tests: elements, attributes, text; throws on anything malformed. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function parseXml(xml: string): XmlNode {
  const src = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < src.length && (m = token.exec(src))) {
    pos = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      const attrs: Record<string, string> = {};
      for (const a of (m[3] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = unescape(a[2]!);
      const node: XmlNode = { name: m[2], attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[4]) stack.push(node);
    } else if (m[5] !== undefined) {
      if (/[&](?!(lt|gt|amp|quot|apos);)/.test(m[5])) throw new Error(`bare & in text: ${m[5]}`);
      top.text += unescape(m[5]);
    }
  }
  if (pos !== src.length) throw new Error(`malformed XML at offset ${pos}`);
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== '')
    throw new Error('XML needs exactly one root element');
  root.children[0]!.text = root.children[0]!.text.trim();
  const trim = (n: XmlNode): void => {
    if (n.children.length) n.text = n.text.trim();
    n.children.forEach(trim);
  };
  trim(root.children[0]!);
  return root.children[0]!;
}
