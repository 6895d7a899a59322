import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { usageError } from '../errors.js';
import { findUp } from '../find-up.js';
import { parseDuration } from '../options.js';
import type { Env } from '../redis/target.js';
import { uses, type Use } from './facts.js';
import { gateKeys, type GateThresholds } from './gate.js';

/**
 * redis-ops.yaml: what the instance is for, the CI gate thresholds and named targets.
 *
 *   use: queue
 *   failOn: warn
 *   gate: { minHitRatio: 0.8, maxMemoryPct: 90, maxFailedJobs: 100, maxWaitingAge: 5m }
 *   queues: [email, reports]      # the queues the queue gates cover (default: those found)
 *   maxFork: 200ms                # latency.fork warns above it (default 500ms)
 *   targets:
 *     prod: { url: "${PROD_REDIS_URL}" }
 *
 * Every mistake is a usage error (exit 2) that names the file and the line.
 */
export const configFileName = 'redis-ops.yaml';

export interface OpsTarget {
  /** As written: env references are expanded only for the target that is chosen. */
  url: string;
  line: number;
}

export interface OpsConfig {
  path: string;
  use?: Use;
  failOn?: 'warn' | 'fail';
  gate: GateThresholds;
  /** The queues the queue gates cover: `email` (prefix bull) or `prefix:name`. */
  queues?: string[];
  /** latency.fork's threshold (maxFork: 200ms). */
  maxForkMs?: number;
  targets: Record<string, OpsTarget>;
}

/** The file to read: --config (must exist), else the nearest redis-ops.yaml up to the repository root. */
export function findConfigFile(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw usageError(`config file not found: ${explicit}`, 'check the --config path');
    return path;
  }
  return findUp(cwd, configFileName);
}

export function loadConfigFile(path: string): OpsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`cannot read ${path}: ${(err as Error).message}`, 'check that the file is readable');
  }
  return parseConfig(text, path);
}

export function parseConfig(text: string, path: string): OpsConfig {
  const name = basename(path);
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? 1;
    throw usageError(
      `${name} line ${line}: ${(first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
      'fix the YAML syntax (indentation, quotes, colons)',
    );
  }
  const lineOf = (node: unknown): number => {
    const range = (node as Node | undefined)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  const bad = (node: unknown, what: string, hint: string): Error =>
    usageError(`${name} line ${lineOf(node)}: ${what}`, hint);

  const out: OpsConfig = { path, gate: {}, targets: {} };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return out;
  if (!isMap(root))
    throw bad(root, 'the file must be a mapping (key: value)', 'see the redis-ops.yaml format in the README');
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    const scalar = isScalar(value) ? value.value : undefined;
    if (key === 'use') {
      if (!uses.includes(scalar as Use))
        throw bad(
          value,
          `use must be cache, queue or both, not ${String(scalar)}`,
          'use: cache | queue | both',
        );
      out.use = scalar as Use;
    } else if (key === 'failOn') {
      if (scalar !== 'warn' && scalar !== 'fail')
        throw bad(value, `failOn must be warn or fail, not ${String(scalar)}`, 'failOn: warn | fail');
      out.failOn = scalar;
    } else if (key === 'gate') {
      if (!isMap(value))
        throw bad(
          value ?? pair.key,
          'gate must be a mapping of thresholds',
          `gate keys: ${gateKeys.join(', ')}`,
        );
      for (const g of value.items) {
        let gk = isScalar(g.key) ? String(g.key.value) : '';
        // The old name (before the check id became gate.maxWaitingAge) still reads.
        if (gk === 'maxWaitingAgeSeconds') gk = 'maxWaitingAge';
        if (!(gateKeys as readonly string[]).includes(gk))
          throw bad(g.key, `unknown gate threshold "${gk}"`, `gate keys: ${gateKeys.join(', ')}`);
        let n = isScalar(g.value) ? g.value.value : undefined;
        if (gk === 'maxWaitingAge' && typeof n === 'string') {
          const given = n;
          try {
            n = parseDuration(given, 'gate.maxWaitingAge', { bare: 's', min: 0 }) / 1000;
          } catch {
            throw bad(
              g.value,
              `gate.maxWaitingAge must be a duration, not ${given}`,
              'e.g. maxWaitingAge: 5m (bare: seconds)',
            );
          }
        }
        if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
          throw bad(g.value ?? g.key, `gate.${gk} must be a number ≥ 0`, 'e.g. maxMemoryPct: 90');
        if (gk === 'minHitRatio' && n > 1)
          throw bad(g.value, 'gate.minHitRatio is a ratio from 0 to 1', 'e.g. minHitRatio: 0.8');
        out.gate[gk as keyof GateThresholds] = n;
      }
    } else if (key === 'maxFork') {
      try {
        const given = typeof scalar === 'string' || typeof scalar === 'number' ? String(scalar) : '';
        out.maxForkMs = parseDuration(given, 'maxFork', { bare: 'ms', min: 0 });
      } catch {
        throw bad(
          value ?? pair.key,
          `maxFork must be a duration, not ${JSON.stringify(scalar ?? null)}`,
          'e.g. maxFork: 200ms (bare: ms)',
        );
      }
    } else if (key === 'queues') {
      const items = isSeq(value) ? value.items : [];
      const names = items.map((i) =>
        isScalar(i) && (typeof i.value === 'string' || typeof i.value === 'number') ? String(i.value) : '',
      );
      if (!isSeq(value) || names.length === 0 || names.some((n) => n.trim() === ''))
        throw bad(
          value ?? pair.key,
          'queues must be a list of queue names',
          'queues: [email, reports] (or prefix:name for a prefix other than bull)',
        );
      out.queues = names.map((n) => n.trim());
    } else if (key === 'targets') {
      if (!isMap(value))
        throw bad(
          value ?? pair.key,
          'targets must be a mapping of names to { url }',
          'targets:\n    prod: { url: "${PROD_REDIS_URL}" }',
        );
      for (const t of value.items) {
        const tname = isScalar(t.key) ? String(t.key.value) : '';
        const url = isMap(t.value) ? t.value.get('url', true) : undefined;
        if (!isScalar(url) || typeof url.value !== 'string' || url.value === '')
          throw bad(
            t.value ?? t.key,
            `target "${tname}" needs a url`,
            `targets:\n    ${tname}: { url: "redis://..." }`,
          );
        out.targets[tname] = { url: url.value, line: lineOf(url) };
      }
    } else {
      throw bad(pair.key, `unknown key "${key}"`, 'known keys: use, failOn, gate, queues, maxFork, targets');
    }
  }
  return out;
}

/** Expand ${VAR} and ${VAR:-default} from the resolved env; an unset variable is an error. */
export function expandEnv(value: string, env: Env, where: string): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      throw usageError(`${where}: ${name} is not set`, `set ${name} in the environment or in .env`);
    },
  );
}

export function targetUrl(config: OpsConfig, name: string, env: Env): string {
  const t = config.targets[name];
  if (!t) {
    const known = Object.keys(config.targets);
    throw usageError(
      `no target "${name}" in ${basename(config.path)}`,
      known.length ? `known targets: ${known.join(', ')}` : 'add it under targets: in redis-ops.yaml',
    );
  }
  return expandEnv(t.url, env, `${basename(config.path)} line ${t.line}`);
}
