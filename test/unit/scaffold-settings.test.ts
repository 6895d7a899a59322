import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mergeCompose } from '../../src/scaffold/compose.js';
import { unifiedDiff } from '../../src/scaffold/diff.js';
import {
  ambiguousEnv,
  envNames,
  mergeEnvText,
  mergeGitignore,
  setEnvValues,
} from '../../src/scaffold/env.js';
import { resolveSettings } from '../../src/scaffold/settings.js';
import { renderTemplate } from '../../src/scaffold/templates.js';
import { parseComposePs } from '../../src/scaffold/up.js';

describe('resolveSettings', () => {
  it('defaults: local cache service "redis" on 6379, dev profile, password on', () => {
    const s = resolveSettings({});
    expect(s).toMatchObject({
      provider: 'local',
      use: 'cache',
      profile: 'dev',
      image: 'redis:8.2-alpine',
      engine: 'redis',
      password: true,
      envFile: '.env',
    });
    expect(s.services).toEqual([
      {
        name: 'redis',
        role: 'cache',
        hostPort: 6379,
        portVar: 'REDIS_PORT',
        urlVar: 'REDIS_URL',
        confPath: 'redis/redis.conf',
        maxmemory: '256mb',
        policy: 'allkeys-lru',
        appendonly: false,
        save: '""',
      },
    ]);
  });

  it('both: two services, the queue one port up, noeviction with AOF', () => {
    const s = resolveSettings({ use: 'both', service: 'kv', port: '7000', profile: 'prod' });
    expect(
      s.services.map((p) => [p.name, p.hostPort, p.policy, p.appendonly, p.urlVar, p.maxmemory]),
    ).toEqual([
      ['kv-cache', 7000, 'allkeys-lru', false, 'REDIS_URL', '1gb'],
      ['kv-queue', 7001, 'noeviction', true, 'REDIS_QUEUE_URL', '1gb'],
    ]);
  });

  it('remote providers have no local service unless --with-local', () => {
    expect(resolveSettings({ provider: 'upstash' }).services).toEqual([]);
    expect(resolveSettings({ provider: 'elasticache', withLocal: true }).services).toHaveLength(1);
  });

  it('--image valkey means the pinned valkey image', () => {
    expect(resolveSettings({ image: 'valkey' })).toMatchObject({
      image: 'valkey/valkey:8-alpine',
      engine: 'valkey',
    });
  });

  it.each([
    [{ port: '0' }, 'invalid --port: 0'],
    [{ port: '6379.5' }, 'invalid --port: 6379.5'],
    [{ use: 'both', port: '65535' }, 'invalid --port: 65535'],
    [{ maxmemory: '1tb' }, 'invalid --maxmemory: 1tb'],
    [{ maxmemory: '-1mb' }, 'invalid --maxmemory: -1mb'],
    [{ provider: 'aws' }, 'invalid --provider: aws'],
    [{ service: '-x' }, 'invalid --service: -x'],
    [{ image: 'redis:7 && rm' }, 'invalid --image: redis:7 && rm'],
  ])('%j is a usage error', (answers, message) => {
    expect(() => resolveSettings(answers)).toThrow(message);
  });
});

describe('renderTemplate', () => {
  it('fills placeholders and keeps or drops blocks', () => {
    const t = 'a: {{x}}\n{{#on}}\nb: 1\n{{/on}}\n{{#off}}\nc: 2\n{{/off}}\nd: ${{{v}}:-{{p}}}';
    expect(renderTemplate(t, { x: 'y', on: true, off: false, v: 'PORT', p: 1 })).toBe(
      'a: y\nb: 1\nd: ${PORT:-1}',
    );
  });
  it('refuses an unknown placeholder', () => {
    expect(() => renderTemplate('{{nope}}', {})).toThrow('no value for {{nope}}');
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

describe('env and .gitignore merges', () => {
  it('appends only missing names, keeping every existing byte', () => {
    const user = 'export A=1\n# c\nREDIS_PASSWORD="mine"';
    const m = mergeEnvText(
      user,
      [
        { name: 'REDIS_PASSWORD', value: 'x' },
        { name: 'REDIS_URL', value: 'u' },
      ],
      'redis-ops init',
    );
    expect(m.added).toEqual(['REDIS_URL']);
    expect(m.text).toBe(`${user}\n\n# redis-ops init\nREDIS_URL=u\n`);
    expect(mergeEnvText(m.text, [{ name: 'REDIS_URL', value: 'other' }], 'h')).toEqual({
      text: m.text,
      added: [],
    });
    expect([...envNames(m.text)]).toEqual(['A', 'REDIS_PASSWORD', 'REDIS_URL']);
  });

  it.each([
    [null, '.env', '.env\n'],
    ['node_modules', '.env', 'node_modules\n.env\n'],
    ['/.env\n', '.env', '/.env\n'],
    // .env* would hide .env.example: it must stay committable.
    ['.env*\n', '.env.local', '.env*\n!.env.example\n'],
    ['.env*\n!.env.example\n', '.env', '.env*\n!.env.example\n'],
    ['*.env\n', 'prod.env', '*.env\n'],
    // Last match wins: a negation after the rule un-ignores, so init adds it again.
    ['# .env\n.env\n!.env\n', '.env', '# .env\n.env\n!.env\n.env\n'],
    ['.env\r\n', '.env', '.env\r\n'],
  ])('.gitignore %j + %s', (before, file, after) => {
    expect(mergeGitignore(before, file).text).toBe(after);
  });

  it('values dotenv/Node and Compose read differently are refused with the quoting that works', () => {
    expect(ambiguousEnv('REDIS_PASSWORD=s3cr#t\n', 'REDIS_PASSWORD')?.why).toContain('unquoted #');
    expect(ambiguousEnv('REDIS_PASSWORD=p$ss\n', 'REDIS_PASSWORD')?.why).toContain('interpolates $');
    expect(ambiguousEnv('REDIS_PASSWORD="p$ss"\n', 'REDIS_PASSWORD')?.hint).toContain(
      "REDIS_PASSWORD='<the value>'",
    );
    expect(ambiguousEnv("REDIS_PASSWORD='s3cr#t$'\n", 'REDIS_PASSWORD')).toBeUndefined();
    expect(ambiguousEnv('REDIS_PASSWORD=plain # a comment\n', 'REDIS_PASSWORD')).toBeUndefined();
    expect(ambiguousEnv('OTHER=a#b\n', 'REDIS_PASSWORD')).toBeUndefined();
  });

  it('setEnvValues rewrites only the named lines', () => {
    const text = '# c\r\nexport REDIS_PASSWORD=\r\nA=1\nREDIS_PASSWORD=again\n';
    expect(setEnvValues(text, { REDIS_PASSWORD: 'x' })).toBe(
      '# c\r\nexport REDIS_PASSWORD=x\r\nA=1\nREDIS_PASSWORD=again\n',
    );
  });
});

describe('unifiedDiff', () => {
  it('new file and no change', () => {
    expect(unifiedDiff(null, 'a\nb\n', 'f')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\n', 'a\n', 'f')).toBe('');
  });

  it('patch(1) applies what it prints (random edits)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-diff-'));
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let t = 0; t < 40; t++) {
      const a = Array.from({ length: rnd(40) }, () => `line ${rnd(8)}`);
      const b = a.filter(() => rnd(5) > 0).flatMap((x) => (rnd(6) === 0 ? [x, `new ${rnd(9)}`] : [x]));
      // Some files end without a newline, some use CRLF: patch(1) must still agree.
      const eol = t % 5 === 0 ? '\r\n' : '\n';
      const before = a.length ? `${a.join(eol)}${t % 7 === 0 ? '' : eol}` : '';
      const after = b.length ? `${b.join(eol)}${t % 3 === 0 ? '' : eol}` : '';
      const diff = unifiedDiff(before, after, 'f');
      if (before === after) continue;
      writeFileSync(join(dir, 'f'), before);
      writeFileSync(join(dir, 'p.diff'), diff);
      execFileSync('patch', ['-s', 'f', 'p.diff'], { cwd: dir });
      expect(readFileSync(join(dir, 'f'), 'utf8')).toBe(after);
    }
  });
});

describe('parseComposePs', () => {
  it('reads NDJSON (Compose ≥ 2.21) and a JSON array (older)', () => {
    const row = { Service: 'redis', State: 'running', Health: 'healthy' };
    expect(
      parseComposePs(`${JSON.stringify(row)}\n${JSON.stringify({ ...row, Service: 'x' })}\n`),
    ).toHaveLength(2);
    expect(parseComposePs(JSON.stringify([row]))).toEqual([row]);
    expect(parseComposePs('')).toEqual([]);
  });
});
