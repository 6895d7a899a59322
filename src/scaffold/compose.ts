import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Document, isMap, isScalar, parseDocument, YAMLMap, type Node, type Pair } from 'yaml';
import { usageError } from '../errors.js';
import { scalarText } from '../text.js';
import { adoptService } from './adopt.js';
import { findRedisServices } from './redis-services.js';
import type { InitSettings, ServicePlan } from './settings.js';
import { loadTemplate, renderTemplate } from './templates.js';
import { appCandidates, networksNeeded, wireApps, type WireResult } from './wire.js';
import { columnOf, jsOptions, pairOf, renderBlock, YamlEditor, type TextEdit } from './yaml-edit.js';

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
  /** Set when the conflict is an existing Redis that init can adopt instead. */
  adoptable?: boolean;
}

export interface ComposeMerge {
  text: string;
  added: string[];
  /** Existing Redis services hardened in place. */
  adopted: string[];
  unchanged: string[];
  conflicts: ComposeConflict[];
  notes: string[];
  /** What each edit is for, in file order (shown with the diff). */
  reasons: string[];
  wire: WireResult;
  /** Services whose config file init mounts (the others keep their own command). */
  confFor: string[];
  /** The edits, in offsets of the original text (for tests and the dry-run reasons). */
  edits: TextEdit[];
}

export interface MergeOptions {
  force?: boolean;
  /** Harden this existing service in place instead of adding one. */
  adopt?: string;
  /** App services to wire; undefined: none (the caller asks on a terminal). */
  wire?: string[];
  /** --service was given: a second Redis beside an existing one is then deliberate. */
  serviceGiven?: boolean;
}

/** The service as the template renders it, parsed (our text: re-serialising it is fine). */
export function renderServiceDoc(plan: ServicePlan, s: InitSettings, composePath: string): Document {
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
  doc.commentBefore = null;
  return doc;
}

function serviceValue(doc: Document, name: string): YAMLMap {
  return (doc.get('services') as YAMLMap).get(name, true) as unknown as YAMLMap;
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

const dump = (name: string, value: unknown): string =>
  new Document({ [name]: value }).toString({ lineWidth: 0 });

function openEditor(existing: string, file: string): YamlEditor {
  const ed = new YamlEditor(existing);
  const err = ed.doc.errors[0];
  if (err) {
    const where = err.linePos?.[0] ? ` (line ${err.linePos[0].line})` : '';
    throw usageError(
      `${file} is not valid YAML${where}: ${err.message.split('\n')[0]}`,
      'fix the file, or point --compose at another file',
    );
  }
  if (ed.doc.contents !== null && !isMap(ed.doc.contents))
    throw usageError(
      `${file} is not a compose file: its top level is not a mapping`,
      'point --compose at your compose file',
    );
  return ed;
}

/** The resolved document (merges and aliases applied), or a clear error for a broken alias. */
export function composeJs(doc: Document, file: string): Record<string, unknown> {
  try {
    return (doc.toJS(jsOptions) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw usageError(
      `${file}: ${(err as Error).message.split('\n')[0]}`,
      'every *alias needs an &anchor defined earlier in the file; fix it, then run init again',
    );
  }
}

function topMap(ed: YamlEditor, key: string, file: string): YAMLMap | null | undefined {
  const root = ed.doc.contents as YAMLMap | null;
  const pair = root ? pairOf(root, key) : undefined;
  if (!pair) return undefined;
  const v = pair.value as Node | null;
  if (isMap(v)) return v;
  if (v === null || (isScalar(v) && v.value === null)) return null;
  throw usageError(`${file}: "${key}" is not a mapping`, `fix the ${key}: section of the compose file`);
}

/** Where a new service goes: after the last service and the indented comments that follow it. */
function serviceInsertPoint(ed: YamlEditor, services: YAMLMap): number {
  let at = ed.endOfMap(services);
  const text = ed.text;
  let scan = at;
  while (scan < text.length) {
    const nl = text.indexOf('\n', scan);
    const line = text.slice(scan, nl === -1 ? text.length : nl);
    if (/^[ \t]+#/.test(line)) at = nl === -1 ? text.length : nl + 1;
    else if (line.trim() !== '') break;
    scan = nl === -1 ? text.length : nl + 1;
  }
  return at;
}

/** Add a top-level key's entry (volumes: name: {}), creating the section at the end if needed. */
export function addTopLevelEntry(
  ed: YamlEditor,
  section: string,
  name: string,
  file: string,
  reason: string,
): void {
  const map = topMap(ed, section, file);
  if (map && map.has(name)) return;
  if (map) {
    ed.addPair(map, name, {}, reason);
    return;
  }
  const root = ed.doc.contents as YAMLMap;
  const value = { [name]: {} };
  if (map === null) {
    const pair = pairOf(root, section) as Pair;
    const keyNode = pair.key as Node;
    const end = (pair.value as Node | null)?.range?.[1] ?? keyNode.range?.[1] ?? 0;
    const nl = ed.text.indexOf('\n', end);
    const at = nl === -1 ? ed.text.length : nl + 1;
    const lead = nl === -1 ? ed.eol : '';
    ed.insert(
      at,
      `${lead}${renderBlock(value, ed.style, columnOf(ed.text, keyNode.range?.[0] ?? 0) + ed.style.indent)}${ed.eol}`,
      reason,
    );
    return;
  }
  const at = ed.text.length;
  const lead = ed.text === '' || ed.text.endsWith('\n') ? '' : ed.eol;
  ed.insert(at, `${lead}${ed.eol}${renderBlock({ [section]: value }, ed.style, 0)}${ed.eol}`, reason);
}

/** Insert a whole service (its rendered doc) at the end of services:. */
export function addService(
  ed: YamlEditor,
  name: string,
  serviceDoc: Document,
  file: string,
  reason: string,
): void {
  const services = topMap(ed, 'services', file);
  const inner = serviceValue(serviceDoc, name);
  const one = new Document({});
  (one.contents as YAMLMap).set(name, inner);
  if (services) {
    const at = serviceInsertPoint(ed, services);
    const col = ed.keyColumn(services);
    const lead = at === ed.text.length && !ed.text.endsWith('\n') && ed.text !== '' ? ed.eol : '';
    ed.insert(
      at,
      `${lead}${ed.style.blankBetween ? ed.eol : ''}${renderBlock(one, ed.style, col)}${ed.eol}`,
      reason,
    );
    return;
  }
  const block = new Document({});
  (block.contents as YAMLMap).set('services', one.contents);
  const root = ed.doc.contents as YAMLMap | null;
  if (services === null && root) {
    // "services:" with nothing under it: fill it in.
    const pair = pairOf(root, 'services') as Pair;
    const keyNode = pair.key as Node;
    const end = (pair.value as Node | null)?.range?.[1] ?? keyNode.range?.[1] ?? 0;
    const nl = ed.text.indexOf('\n', end);
    const at = nl === -1 ? ed.text.length : nl + 1;
    ed.insert(
      at,
      `${nl === -1 ? ed.eol : ''}${renderBlock(one, ed.style, ed.style.indent)}${ed.eol}`,
      reason,
    );
    return;
  }
  const at = ed.text.length;
  const lead = ed.text === '' || ed.text.endsWith('\n') ? '' : ed.eol;
  ed.insert(
    at,
    `${lead}${ed.text.trim() === '' ? '' : ed.eol}${renderBlock(block, ed.style, 0)}${ed.eol}`,
    reason,
  );
}

/** What a project's compose file already has, for init's questions (null: no file). */
export function inspectCompose(
  text: string | null,
  file: string,
): { redis: Array<{ name: string; image: string }>; apps: string[] } | null {
  if (text === null || text.trim() === '') return null;
  const ed = openEditor(text, file);
  const services = (composeJs(ed.doc, file).services ?? {}) as Record<string, Record<string, unknown>>;
  return {
    redis: findRedisServices(services).map((name) => ({ name, image: scalarText(services[name]?.image) })),
    apps: appCandidates(services, []),
  };
}

/** The whole file for a project without one (nothing to preserve: our own layout). */
function freshFile(s: InitSettings, file: string): string {
  const doc = new Document({ services: {} });
  const services = doc.get('services') as YAMLMap;
  for (const p of s.services) services.set(p.name, serviceValue(renderServiceDoc(p, s, file), p.name));
  const volumes = new YAMLMap();
  for (const p of s.services) volumes.set(`${p.name}-data`, new YAMLMap());
  const pair = doc.createPair('volumes', volumes);
  pair.key.spaceBefore = true;
  (doc.contents as YAMLMap).items.push(pair);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Merge the planned services into the compose text (null: no file yet) by editing it in place:
 * every byte init does not add or change stays. An existing Redis (found by image or command,
 * under any name) is adopted, never doubled; an identical service is left alone (idempotent).
 */
export function mergeCompose(
  existing: string | null,
  s: InitSettings,
  file: string,
  opts: MergeOptions = {},
): ComposeMerge {
  const out: ComposeMerge = {
    text: existing ?? '',
    added: [],
    adopted: [],
    unchanged: [],
    conflicts: [],
    notes: [],
    reasons: [],
    wire: { wired: [], candidates: [], notes: [] },
    confFor: [],
    edits: [],
  };
  if (existing === null || existing.trim() === '') {
    if (s.services.length === 0) return out;
    out.text = (existing ?? '') + freshFile(s, file);
    out.added = s.services.map((p) => p.name);
    out.confFor = s.services.map((p) => p.name);
    out.reasons = s.services.map((p) => `service ${p.name} added`);
    if (opts.wire && opts.wire.length > 0)
      throw usageError(
        `--wire ${opts.wire.join(',')}: ${file} has no such service`,
        'wire services that exist in the compose file',
      );
    return out;
  }
  const ed = openEditor(existing, file);
  const js = composeJs(ed.doc, file);
  if ('version' in js)
    out.notes.push(`${file} has the obsolete "version:" key: Compose ignores it, you can delete it`);
  topMap(ed, 'services', file); // "services: 3" is refused before anything else
  const services = (js.services ?? {}) as Record<string, Record<string, unknown>>;
  const redis = findRedisServices(services);

  if (opts.adopt !== undefined) {
    if (!(opts.adopt in services))
      throw usageError(
        `--adopt ${opts.adopt}: ${file} has no service "${opts.adopt}"`,
        redis.length
          ? `its Redis service${redis.length > 1 ? 's are' : ' is'}: ${redis.join(', ')}`
          : 'leave --adopt out to add a new service',
      );
    if (!redis.includes(opts.adopt))
      throw usageError(
        `--adopt ${opts.adopt}: service "${opts.adopt}" is not Redis (no redis/valkey image or redis-server command)`,
        redis.length
          ? `its Redis service${redis.length > 1 ? 's are' : ' is'}: ${redis.join(', ')}`
          : 'leave --adopt out to add a new service',
      );
  }

  const needed = opts.wire
    ? networksNeeded(
        services,
        s.services.map((p) => p.name),
        opts.wire,
      )
    : {};
  for (const [i, p] of s.services.entries()) {
    const planned = renderServiceDoc(p, s, file);
    const current = services[p.name];
    const adoptThis = (i === 0 && opts.adopt === p.name) || (current !== undefined && redis.includes(p.name));
    // init's own service, maybe joined to networks by --wire since: nothing to do.
    const { networks: _joined, ...mine } = current ?? {};
    if (current !== undefined && sameValue(mine, serviceValue(planned, p.name).toJS(planned))) {
      out.unchanged.push(p.name);
      out.confFor.push(p.name);
      continue;
    }
    if (adoptThis) {
      const before = ed.edits.length;
      const r = adoptService(ed, p, s, file, opts.adopt === p.name || opts.force === true);
      out.notes.push(...r.notes);
      if (r.conflict) {
        out.conflicts.push({
          service: p.name,
          current: dump(p.name, current),
          planned: r.conflict,
          adoptable: true,
        });
        ed.edits.splice(before);
        continue;
      }
      if (r.usesConf) out.confFor.push(p.name);
      if (r.volume) addTopLevelEntry(ed, 'volumes', r.volume, file, `named volume for ${p.name}'s data`);
      if (ed.edits.length > before) out.adopted.push(p.name);
      else out.unchanged.push(p.name);
      continue;
    }
    if (current !== undefined) {
      out.conflicts.push({
        service: p.name,
        current: dump(p.name, current),
        planned: dump(p.name, serviceValue(planned, p.name).toJS(planned)),
      });
      continue;
    }
    const others = redis.filter((r) => !s.services.some((q) => q.name === r));
    if (others.length > 0 && !opts.serviceGiven && opts.adopt === undefined && !opts.force) {
      const name = others[0] ?? '';
      // What --adopt would change, on a scratch editor, for the error's diff.
      const preview = new YamlEditor(existing);
      const r = adoptService(preview, { ...p, name, confPath: `redis/${name}.conf` }, s, file, false);
      out.conflicts.push({
        service: name,
        current: dump(name, services[name]),
        planned: r.conflict ?? '',
        adoptable: true,
      });
      continue;
    }
    const nets = needed[p.name];
    if (nets && !(nets.length === 1 && nets[0] === 'default'))
      serviceValue(planned, p.name).set('networks', nets);
    addService(ed, p.name, planned, file, `service ${p.name} added (${p.role})`);
    addTopLevelEntry(ed, 'volumes', `${p.name}-data`, file, `named volume for ${p.name}'s data`);
    out.added.push(p.name);
    out.confFor.push(p.name);
  }
  // A named volume the user deleted by hand comes back (every service we manage needs its own).
  const volumes = (js.volumes ?? {}) as Record<string, unknown>;
  for (const name of out.unchanged) {
    const mounts = JSON.stringify(services[name]?.volumes ?? []);
    if (mounts.includes(`"${name}-data:`) && !(`${name}-data` in volumes))
      addTopLevelEntry(ed, 'volumes', `${name}-data`, file, `named volume for ${name}'s data`);
  }
  if (out.conflicts.length === 0) {
    const targets = s.services.map((p) => p.name);
    out.wire = wireApps(ed, js, s, targets, opts.wire, file, out.added);
    out.notes.push(...out.wire.notes);
  } else ed.edits.splice(0);
  out.edits = ed.edits;
  out.reasons = ed.edits.map((e) => e.reason);
  out.text = ed.apply();
  return out;
}
