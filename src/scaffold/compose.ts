import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Document, isMap, isScalar, Pair, parseDocument, Scalar, YAMLMap, type ToStringOptions } from 'yaml';
import { usageError } from '../errors.js';
import type { InitSettings, ServicePlan } from './settings.js';
import { loadTemplate, renderTemplate } from './templates.js';

/** The names Compose itself looks for, in its order. */
export const composeNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export function findComposeFile(dir: string, flag?: string): string {
  if (flag !== undefined) return flag;
  return composeNames.find((name) => existsSync(join(dir, name))) ?? 'compose.yaml';
}

export interface ComposeConflict {
  service: string;
  /** The service as it is and as init would write it, each as YAML (for a diff). */
  current: string;
  planned: string;
}

export interface ComposeMerge {
  text: string;
  added: string[];
  replaced: string[];
  unchanged: string[];
  conflicts: ComposeConflict[];
  notes: string[];
}

/** The service node as the template renders it: styles, quotes and comments come from the file. */
export function renderService(
  plan: ServicePlan,
  s: InitSettings,
  composePath: string,
): Pair<Scalar, YAMLMap> {
  const confMount =
    s.engine === 'valkey' ? '/usr/local/etc/valkey/valkey.conf' : '/usr/local/etc/redis/redis.conf';
  let confSource = relative(dirname(composePath), plan.confPath).split(sep).join('/');
  if (!confSource.startsWith('.')) confSource = `./${confSource}`;
  const text = renderTemplate(loadTemplate('compose-service.yaml'), {
    service: plan.name,
    image: s.image,
    server: `${s.engine}-server`,
    cli: `${s.engine}-cli`,
    confMount,
    confSource,
    password: s.password,
    envFile: s.envFile,
    portVar: plan.portVar,
    port: plan.hostPort,
    volume: `${plan.name}-data`,
  });
  const doc = parseDocument(text);
  const services = doc.get('services') as YAMLMap<Scalar, YAMLMap>;
  const pair = services.items[0];
  if (!pair) throw new Error('template compose-service.yaml has no service');
  return pair;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Keep the user's layout where yaml lets us choose: indent, sequence indent, flow padding. */
function styleOf(text: string): ToStringOptions {
  const indent = /^( +)\S/m.exec(text)?.[1]?.length ?? 2;
  const seq = /^( *)[^\s#-][^\n]*:[ \t]*\n( *)- /m.exec(text);
  return {
    indent: indent >= 2 && indent <= 8 ? indent : 2,
    indentSeq: seq ? (seq[2]?.length ?? 0) > (seq[1]?.length ?? 0) : true,
    flowCollectionPadding: /\[ \S/.test(text),
    lineWidth: 0,
  };
}

function parseCompose(existing: string, file: string): Document {
  const doc = parseDocument(existing);
  const err = doc.errors[0];
  if (err) {
    const where = err.linePos?.[0] ? ` (line ${err.linePos[0].line})` : '';
    throw usageError(
      `${file} is not valid YAML${where}: ${err.message.split('\n')[0]}`,
      'fix the file, or point --compose at another file',
    );
  }
  if (doc.contents !== null && !isMap(doc.contents))
    throw usageError(
      `${file} is not a compose file: its top level is not a mapping`,
      'point --compose at your compose file',
    );
  return doc;
}

function mapAt(doc: Document, key: string, file: string): YAMLMap {
  const node = doc.get(key, true);
  if (isMap(node)) return node;
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
    const map = new YAMLMap();
    const root = doc.contents as YAMLMap;
    const pair = doc.createPair<Scalar, YAMLMap>(key, map);
    // A blank line before a new top-level section, as people write compose files.
    pair.key.spaceBefore = root.items.some((p) => !(isScalar(p.key) && p.key.value === key));
    const at = root.items.findIndex((p) => isScalar(p.key) && p.key.value === key);
    if (at >= 0) root.items[at] = pair;
    else root.items.push(pair);
    return map;
  }
  throw usageError(`${file}: "${key}" is not a mapping`, `fix the ${key}: section of the compose file`);
}

function jsOf(node: unknown, doc: Document): unknown {
  return node !== null && typeof node === 'object' && 'toJS' in node ? (node as Scalar).toJS(doc) : node;
}

const dump = (name: string, value: unknown): string =>
  new Document({ [name]: value }).toString({ lineWidth: 0 });

/**
 * Merge the planned services into the compose text (null: no file yet) with the yaml Document
 * API, so comments, order and other services stay. A service that exists with other settings
 * is a conflict unless force; an identical one is left alone (that is what makes init idempotent).
 */
export function mergeCompose(
  existing: string | null,
  s: InitSettings,
  file: string,
  force: boolean,
): ComposeMerge {
  const fresh = existing === null || existing.trim() === '';
  const doc = fresh ? new Document({}) : parseCompose(existing, file);
  if (doc.contents === null) doc.contents = new YAMLMap();
  const out: ComposeMerge = {
    text: existing ?? '',
    added: [],
    replaced: [],
    unchanged: [],
    conflicts: [],
    notes: [],
  };
  if (!fresh && doc.has('version'))
    out.notes.push(`${file} has the obsolete "version:" key: Compose ignores it, you can delete it`);

  const services = mapAt(doc, 'services', file);
  for (const plan of s.services) {
    const pair = renderService(plan, s, file);
    const planned: unknown = pair.value?.toJS(doc);
    const current = services.get(plan.name, true);
    if (current === undefined) {
      pair.key.spaceBefore = services.items.length > 0;
      services.items.push(pair);
      out.added.push(plan.name);
    } else if (sameValue(jsOf(current, doc), planned)) {
      out.unchanged.push(plan.name);
    } else if (force) {
      services.set(plan.name, pair.value);
      out.replaced.push(plan.name);
    } else {
      out.conflicts.push({
        service: plan.name,
        current: dump(plan.name, jsOf(current, doc)),
        planned: dump(plan.name, planned),
      });
    }
  }
  let changed = out.added.length + out.replaced.length > 0;
  // Every service we manage needs its named volume, even one the user deleted by hand.
  const managed = s.services.filter((p) => !out.conflicts.some((c) => c.service === p.name));
  const volumesNode = doc.get('volumes', true);
  if (managed.some((p) => !(isMap(volumesNode) && volumesNode.has(`${p.name}-data`)))) {
    const volumes = mapAt(doc, 'volumes', file);
    for (const p of managed) if (!volumes.has(`${p.name}-data`)) volumes.set(`${p.name}-data`, new YAMLMap());
    changed = true;
  }
  if (changed) {
    out.text = doc.toString(fresh ? { lineWidth: 0, flowCollectionPadding: false } : styleOf(existing));
  }
  return out;
}
