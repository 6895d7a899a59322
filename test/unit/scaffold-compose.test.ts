import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { composeJs, mergeCompose } from '../../src/scaffold/compose.js';
import { planInit } from '../../src/scaffold/plan.js';
import { findRedisServices } from '../../src/scaffold/redis-services.js';
import { resolveSettings, type InitAnswers } from '../../src/scaffold/settings.js';
import { appCandidates } from '../../src/scaffold/wire.js';
import { needsWrite, writeChanges } from '../../src/scaffold/write.js';
import { applyEdits, detectStyle, parseYaml } from '../../src/scaffold/yaml-edit.js';
import { lintCompose, lintComposeFiles } from '../helpers/compose-lint.js';

/**
 * The corpus: real open-source compose files (test/fixtures/compose/SOURCES.md says where each
 * came from). For each, init runs in every variant, twice; the file must change only inside
 * init's edits, stay valid for dclint (every variant, in one batched call per quote style) and
 * `docker-compose config` wherever the original was,
 * and the user's .env lines must stay as they were.
 */
const corpus = new URL('../fixtures/compose/', import.meta.url).pathname;
const fixtures = readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f));
const root = mkdtempSync(join(tmpdir(), 'redis-ops-corpus-'));
const userEnv =
  '# the project\'s own settings\r\nAPP_SECRET="keep me"\nexport NODE_ENV=development\nEMPTY=\n';
const configDirs: Array<{ dir: string; label: string; original: string }> = [];
const lintJobs: Array<{ file: string; quote: 'single' | 'double'; before: Set<string>; label: string }> = [];
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Variant = { label: string; answers: InitAnswers; wire?: boolean };
const variants: Variant[] = [
  { label: 'cache', answers: {} },
  { label: 'queue', answers: { use: 'queue' } },
  { label: 'both', answers: { use: 'both' } },
  { label: 'valkey', answers: { image: 'valkey' } },
  { label: 'upstash+local', answers: { provider: 'upstash', withLocal: true } },
  { label: 'wire', answers: { use: 'both' }, wire: true },
];

/** Files the compose file names (env_file, build contexts) exist, as in the project. */
function prepare(dir: string, text: string): void {
  const js = composeJs(parseYaml(text), 'compose.yaml');
  for (const svc of Object.values((js.services ?? {}) as Record<string, Record<string, unknown>>)) {
    const envFiles = Array.isArray(svc.env_file) ? svc.env_file : svc.env_file ? [svc.env_file] : [];
    for (const e of envFiles) {
      const path = join(dir, typeof e === 'string' ? e : String((e as { path: string }).path));
      mkdirSync(dirname(path), { recursive: true });
      if (!path.endsWith('/.env')) writeFileSync(path, '');
    }
    const build = svc.build;
    const context = typeof build === 'string' ? build : (build as { context?: string } | undefined)?.context;
    if (context && !/^[a-z]+:\/\//.test(context)) mkdirSync(join(dir, context), { recursive: true });
  }
}

const ruleNames = (messages: string[]): Set<string> => new Set(messages.map((m) => m.split(':')[0] ?? m));

describe.each(fixtures)('corpus %s', (fixture) => {
  const original = readFileSync(join(corpus, fixture), 'utf8');
  const js = composeJs(parseYaml(original), fixture);
  const services = (js.services ?? {}) as Record<string, Record<string, unknown>>;
  const redis = findRedisServices(services);
  const apps = appCandidates(services, []);
  const base = join(root, fixture.replace(/\W/g, '_'));
  mkdirSync(base);
  writeFileSync(join(base, 'compose.yaml'), original);
  writeFileSync(join(base, '.env'), userEnv);
  prepare(base, original);
  // Ports are quoted in the file's own style: lint them against it.
  const quote = detectStyle(original, parseYaml(original)).quote;
  const lintBefore = ruleNames(lintCompose(join(base, 'compose.yaml'), { userFile: true, quote }));
  configDirs.push({ dir: base, label: `${fixture} (original)`, original: base });

  it.each(variants)('$label: edits in place, idempotent, valid', ({ label, answers, wire }) => {
    const dir = join(base, label.replace(/\W/g, '_'));
    mkdirSync(dir);
    writeFileSync(join(dir, 'compose.yaml'), original);
    writeFileSync(join(dir, '.env'), userEnv);
    prepare(dir, original);
    const adopt = redis[0];
    const a: InitAnswers = { ...answers, adopt };
    const s = resolveSettings(a);
    const opts = {
      adopt,
      wire: wire ? apps.filter((n) => !s.services.some((p) => p.name === n)) : undefined,
    };

    // The edits: applied to the original they give the new text; outside them nothing moves.
    const merge = mergeCompose(original, s, 'compose.yaml', opts);
    expect(merge.conflicts).toEqual([]);
    expect(applyEdits(original, merge.edits)).toBe(merge.text);
    for (const e of merge.edits) {
      const replaced = original.slice(e.start, e.end);
      // A replacement is one node init manages: a health check test, a port, a depends_on
      // list, an env value, an alias it turns into the service's own block.
      if (replaced.trim() !== '')
        expect(replaced, `${e.reason}: ${replaced}`).toMatch(
          /ping|\d+:\d+|^\s*-\s+[\w.-]+|^\s*\*|localhost|127\.0\.0\.1|^\s*\{\s*\}$/m,
        );
      else if (replaced === '')
        expect(
          original[e.start - 1] === undefined ||
            original[e.start - 1] === '\n' ||
            /[\]"'\w]/.test(original[e.start - 1] ?? ''),
        ).toBe(true);
    }
    if (original.includes('\r\n')) expect(merge.text.replace(/\r\n/g, '')).not.toContain('\n');

    const pw = (): string => 'corpusPassword0123456789';
    const plan = planInit(s, dir, opts, pw);
    expect(plan.conflicts).toEqual([]);
    writeChanges(plan.files.filter(needsWrite));
    const after = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    expect(after).toBe(merge.text);
    // Idempotent: the second run plans no change at all.
    const again = planInit(s, dir, opts, pw);
    expect(again.conflicts).toEqual([]);
    expect(again.files.filter(needsWrite).map((f) => f.path)).toEqual([]);
    // The user's .env lines are the same bytes, at the top.
    expect(readFileSync(join(dir, '.env'), 'utf8').startsWith(userEnv)).toBe(true);
    configDirs.push({ dir, label: `${fixture} ${label}`, original: base });
    // dclint (below, batched): no rule fails that did not fail on the original.
    lintJobs.push({
      file: join(dir, 'compose.yaml'),
      quote,
      before: lintBefore,
      label: `${fixture} ${label}`,
    });
  });
});

describe('dclint (the Compose validator) over the corpus', () => {
  it('every variant of every file: no rule fails that did not fail on the original (schema errors included)', () => {
    expect(lintJobs.length).toBe(fixtures.length * variants.length);
    const failures: string[] = [];
    for (const quote of ['single', 'double'] as const) {
      const jobs = lintJobs.filter((j) => j.quote === quote);
      const results = lintComposeFiles(
        jobs.map((j) => j.file),
        { userFile: true, quote },
      );
      jobs.forEach((j, i) => {
        const added = [...ruleNames(results[i] ?? [])].filter((r) => !j.before.has(r));
        if (added.length) failures.push(`${j.label}: ${added.join(', ')}`);
      });
    }
    expect(failures.join('\n')).toBe('');
    // The schema is really checked with the once-compiled validator: a typo'd key is caught.
    const bad = join(root, 'bad-compose.yaml');
    writeFileSync(bad, 'services:\n  x:\n    imagee: redis:7\n');
    expect(lintComposeFiles([bad, bad], { userFile: true }).map((m) => [...ruleNames(m)])).toEqual([
      ['invalid-schema'],
      ['invalid-schema'],
    ]);
  });
});

describe('docker-compose config (Compose v1) over the corpus', () => {
  it('accepts every edited file wherever it accepted the original', () => {
    const out = execFileSync(
      '/usr/bin/python3',
      [join(import.meta.dirname, '../helpers/compose-config.py'), ...configDirs.map((c) => c.dir)],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const codes = new Map(
      out
        .trim()
        .split('\n')
        .map((l) => {
          const [dir, code, msg] = l.split('\t');
          return [dir ?? '', { code: Number(code), msg: msg ?? '' }];
        }),
    );
    const failures: string[] = [];
    let accepted = 0;
    for (const c of configDirs) {
      const before = codes.get(c.original);
      const now = codes.get(c.dir);
      if (before?.code === 0) accepted++;
      if (before?.code === 0 && now?.code !== 0) failures.push(`${c.label}: ${now?.msg}`);
    }
    expect(failures.join('\n')).toBe('');
    // Most of the corpus validates: the comparison is not vacuous.
    expect(accepted).toBeGreaterThan(configDirs.length / 2);
  });
});

describe('mergeCompose', () => {
  const s = resolveSettings({});
  it('a fresh file: the service, its volume, no version key', () => {
    const m = mergeCompose(null, s, 'compose.yaml');
    expect(m.added).toEqual(['redis']);
    const doc = parse(m.text);
    expect(Object.keys(doc)).toEqual(['services', 'volumes']);
    expect(m.text).toContain('\n\nvolumes:\n  redis-data: {}\n');
  });

  it('merging twice is a no-op', () => {
    const once = mergeCompose(null, s, 'compose.yaml').text;
    const twice = mergeCompose(once, s, 'compose.yaml');
    expect(twice).toMatchObject({ added: [], unchanged: ['redis'], conflicts: [] });
    expect(twice.text).toBe(once);
  });

  it('keeps the user style: unindented sequences, comments, the version key (with a note)', () => {
    const user = 'version: "3.8"\nservices:\n  web:\n    ports:\n    - "3000:3000"  # app\n';
    const m = mergeCompose(user, s, 'compose.yaml');
    // Every byte of the user's file stays, comment spacing included; ours follows its style.
    expect(m.text.startsWith(user)).toBe(true);
    expect(m.text).toContain('    volumes:\n    - redis-data:/data\n');
    expect(m.notes).toEqual([
      'compose.yaml has the obsolete "version:" key: Compose ignores it, you can delete it',
    ]);
  });

  it('an existing Redis is adopted only when asked (or forced), keeping the user keys', () => {
    const user = 'services:\n  redis:\n    image: redis:6\n    ulimits:\n      nofile: 1024\n';
    const m = mergeCompose(user, s, 'compose.yaml');
    expect(m.conflicts.map((c) => [c.service, c.adoptable])).toEqual([['redis', true]]);
    expect(m.text).toBe(user);
    const forced = mergeCompose(user, s, 'compose.yaml', { force: true });
    expect(forced.adopted).toEqual(['redis']);
    const svc = parse(forced.text).services.redis;
    expect(svc.image).toBe('redis:6');
    expect(svc.ulimits).toEqual({ nofile: 1024 });
    expect(svc.command).toContain('--requirepass');
    expect(svc.healthcheck.test).toEqual(['CMD-SHELL', 'redis-cli -e ping | grep -q PONG']);
  });

  it('a non-Redis service with the planned name is a conflict', () => {
    const user = 'services:\n  redis:\n    image: nginx:1\n';
    expect(mergeCompose(user, s, 'compose.yaml', { force: true }).conflicts.map((c) => c.service)).toEqual([
      'redis',
    ]);
  });

  it('--use both into a file without volumes: one volumes section for both services', () => {
    const user = 'services:\n  web:\n    image: node:20\n';
    const m = mergeCompose(user, resolveSettings({ use: 'both' }), 'compose.yaml');
    expect(m.text.startsWith(user)).toBe(true);
    expect(m.text.match(/^volumes:/gm)).toHaveLength(1);
    expect(parse(m.text).volumes).toEqual({ 'redis-cache-data': {}, 'redis-queue-data': {} });
  });

  it('re-adds a named volume the user deleted', () => {
    const once = mergeCompose(null, s, 'compose.yaml').text.replace(
      /\nvolumes:\n {2}redis-data: \{\}\n/,
      '\n',
    );
    const m = mergeCompose(once, s, 'compose.yaml');
    expect(parse(m.text).volumes).toEqual({ 'redis-data': {} });
  });

  it.each([
    ['services: [unclosed', /^compose.yaml is not valid YAML \(line 1\)/],
    ['- just\n- a list\n', /top level is not a mapping/],
    ['services: 3\n', /"services" is not a mapping/],
  ])('%j is refused', (text, message) => {
    expect(() => mergeCompose(text, s, 'compose.yaml')).toThrow(message);
  });
});
