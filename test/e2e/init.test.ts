import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { lintCompose } from '../helpers/compose-lint.js';

const project = (): string => mkdtempSync(join(tmpdir(), 'redis-ops-init-'));
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const env = (dir: string, file = '.env'): Record<string, string> =>
  parseEnv(read(dir, file)) as Record<string, string>;
const compose = (dir: string, file = 'compose.yaml'): any => parse(read(dir, file));
/** Every file under dir with its content: to prove that nothing was written. */
const snapshot = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
};

const userCompose = `# Our app. Keep this comment.
name: shop

services:
  # the web app
  web:
    build: .
    ports:
      - "127.0.0.1:3000:3000" # only local
    depends_on:
      - db

  db:
    image: postgres:16-alpine
    volumes:
      - db-data:/var/lib/postgresql/data # data survives restarts

volumes:
  db-data: {}
`;

describe('init: a fresh project', () => {
  it('writes a valid compose service, redis.conf, .env (0600), .env.example and .gitignore', async () => {
    const dir = project();
    const { json, run } = await runJson(['init', dir]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(json.files.map((f: { path: string; action: string }) => `${f.action} ${f.path}`)).toEqual([
      'create compose.yaml',
      'create redis/redis.conf',
      'create .env',
      'create .env.example',
      'create .gitignore',
    ]);
    expect(json.changed).toBe(true);
    expect(json.services).toEqual([
      {
        name: 'redis',
        role: 'cache',
        port: 6379,
        url: 'redis://default:***@127.0.0.1:6379',
        urlVar: 'REDIS_URL',
        conf: 'redis/redis.conf',
      },
    ]);

    expect(lintCompose(join(dir, 'compose.yaml'))).toEqual([]);
    const text = read(dir, 'compose.yaml');
    expect(text).not.toMatch(/^version:/m);
    const svc = compose(dir).services.redis;
    expect(svc.image).toBe('redis:8.2-alpine');
    expect(svc.ports).toEqual(['127.0.0.1:${REDIS_PORT:-6379}:6379']);
    expect(svc.volumes).toEqual([
      'redis-data:/data',
      './redis/redis.conf:/usr/local/etc/redis/redis.conf:ro',
    ]);
    expect(svc.command).toEqual([
      'redis-server',
      '/usr/local/etc/redis/redis.conf',
      '--requirepass',
      '${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}',
    ]);
    expect(svc.environment).toEqual({ REDISCLI_AUTH: '${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}' });
    expect(svc.healthcheck).toEqual({
      test: ['CMD-SHELL', 'redis-cli -e ping | grep -q PONG'],
      interval: '10s',
      timeout: '3s',
      retries: 5,
      start_period: '10s',
    });
    expect(compose(dir).volumes).toEqual({ 'redis-data': {} });

    const conf = read(dir, 'redis/redis.conf');
    expect(conf).toMatch(/^maxmemory 256mb$/m);
    expect(conf).toMatch(/^maxmemory-policy allkeys-lru$/m);
    expect(conf).toMatch(/^appendonly no$/m);

    const vars = env(dir);
    expect(Object.keys(vars)).toEqual(['REDIS_PASSWORD', 'REDIS_PORT', 'REDIS_URL']);
    expect(vars.REDIS_PASSWORD).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(vars.REDIS_URL).toBe(`redis://default:${vars.REDIS_PASSWORD}@127.0.0.1:6379`);
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    const example = env(dir, '.env.example');
    expect(example).toEqual({
      REDIS_PASSWORD: 'change-me',
      REDIS_PORT: '6379',
      REDIS_URL: 'redis://default:change-me@127.0.0.1:6379',
    });
    expect(read(dir, '.gitignore')).toBe('.env\n');
    // The password lives in .env and nowhere else.
    expect(run.stdout).not.toContain(vars.REDIS_PASSWORD);
    expect(
      read(dir, 'compose.yaml') + read(dir, '.env.example') + read(dir, 'redis/redis.conf'),
    ).not.toContain(vars.REDIS_PASSWORD);
  });

  it('prints what it wrote, with the password masked', async () => {
    const dir = project();
    const run = await runCli(['init', dir]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('+ compose.yaml      service redis added');
    expect(run.stdout).toContain('redis (cache)  redis://default:***@127.0.0.1:6379  REDIS_URL in .env');
    expect(run.stdout).toContain('next: docker compose up -d redis   then: npx redis-ops doctor');
    expect(run.stdout).not.toContain(env(dir).REDIS_PASSWORD);
  });

  it('a second run changes nothing and says so', async () => {
    const dir = project();
    await runCli(['init', dir, '--use', 'queue']);
    const before = snapshot(dir);
    const run = await runCli(['init', dir, '--use', 'queue']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      '✔ nothing changed: compose.yaml, redis/redis.conf, .env, .env.example, .gitignore already up to date',
    );
    expect(snapshot(dir)).toEqual(before);
    const { json } = await runJson(['init', dir, '--use', 'queue']);
    expect(json.changed).toBe(false);
    expect(json.files.every((f: { action: string }) => f.action === 'unchanged')).toBe(true);
  });
});

describe('init: an existing project', () => {
  it('merges into a compose file full of comments and other services, keeping them all', async () => {
    const dir = project();
    writeFileSync(join(dir, 'compose.yaml'), userCompose);
    const run = await runCli(['init', dir]);
    expect(run.exitCode).toBe(0);
    const text = read(dir, 'compose.yaml');
    // Every line the user wrote is still there, in the same order.
    let at = 0;
    for (const line of userCompose.trimEnd().split('\n')) {
      const found = text.indexOf(line, at);
      expect(found, `line kept: ${line}`).toBeGreaterThanOrEqual(at);
      at = found + line.length;
    }
    const doc = compose(dir);
    expect(Object.keys(doc.services)).toEqual(['web', 'db', 'redis']);
    expect(doc.services.web).toEqual(parse(userCompose).services.web);
    expect(Object.keys(doc.volumes)).toEqual(['db-data', 'redis-data']);
    expect(lintCompose(join(dir, 'compose.yaml'), { userFile: true })).toEqual([]);
  });

  it('finds docker-compose.yml when that is what the project has', async () => {
    const dir = project();
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: node:20-alpine\n');
    const { json } = await runJson(['init', dir]);
    expect(json.files[0]).toMatchObject({ path: 'docker-compose.yml', action: 'update' });
    expect(Object.keys(compose(dir, 'docker-compose.yml').services)).toEqual(['web', 'redis']);
  });

  it('keeps the values already in .env and adds only what is missing', async () => {
    const dir = project();
    const userEnv = '# mine\nAPP_SECRET="keep me"\nREDIS_PASSWORD=my-own-password\n';
    writeFileSync(join(dir, '.env'), userEnv, { mode: 0o644 });
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n.env*\n');
    const run = await runCli(['init', dir, '--port', '6390']);
    expect(run.exitCode).toBe(0);
    const text = read(dir, '.env');
    expect(text.startsWith(userEnv)).toBe(true);
    expect(env(dir)).toEqual({
      APP_SECRET: 'keep me',
      REDIS_PASSWORD: 'my-own-password',
      REDIS_PORT: '6390',
      REDIS_URL: 'redis://default:my-own-password@127.0.0.1:6390',
    });
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(read(dir, '.gitignore')).toBe('node_modules\n.env*\n!.env.example\n');
    expect(run.stdout).not.toContain('my-own-password');
  });

  it('.env tracked by git: refused without --yes (hint git rm --cached), written with it', async () => {
    const dir = project();
    const git = (...args: string[]): void => {
      execFileSync('git', ['-C', dir, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args], {
        stdio: 'ignore',
      });
    };
    git('init', '-q');
    writeFileSync(join(dir, '.env'), 'APP=1\n');
    writeFileSync(join(dir, '.gitignore'), '.env*\n');
    git('add', '-f', '.env', '.gitignore');
    git('commit', '-qm', 'x');
    const before = snapshot(dir);
    const run = await runCli(['init', dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      '✖ .env is tracked by git: the password init writes into it would be committed',
    );
    expect(run.stderr).toContain('hint: git rm --cached .env');
    expect(snapshot(dir)).toEqual(before);
    const yes = await runCli(['init', dir, '--yes']);
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toContain('warning: .env is tracked by git');
    // git check-ignore read .env* (the user's rule): .env.example is kept committable.
    expect(read(dir, '.gitignore')).toBe('.env*\n!.env.example\n');
  });

  it('a symlinked .env is written through the link', async () => {
    const dir = project();
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'dev.env'), 'APP=1\n');
    symlinkSync('config/dev.env', join(dir, '.env'));
    expect((await runCli(['init', dir])).exitCode).toBe(0);
    expect(lstatSync(join(dir, '.env')).isSymbolicLink()).toBe(true);
    expect(read(dir, 'config/dev.env')).toMatch(/^APP=1\n[\s\S]*REDIS_PASSWORD=/);
  });

  it('an empty password is generated, an edited REDIS_PORT re-derives the URL, a foreign URL is named', async () => {
    const dir = project();
    writeFileSync(join(dir, '.env'), 'REDIS_PASSWORD=\nA=1\n');
    expect((await runCli(['init', dir])).exitCode).toBe(0);
    const first = env(dir);
    expect(first.REDIS_PASSWORD?.length).toBe(32);
    expect(read(dir, '.env').startsWith(`REDIS_PASSWORD=${first.REDIS_PASSWORD}\nA=1\n`)).toBe(true);
    writeFileSync(join(dir, '.env'), read(dir, '.env').replace('REDIS_PORT=6379', 'REDIS_PORT=6390'));
    const again = await runCli(['init', dir]);
    expect(again.stdout).toContain('REDIS_URL in .env updated to port 6390 (from REDIS_PORT)');
    expect(env(dir).REDIS_URL).toBe(`redis://default:${first.REDIS_PASSWORD}@127.0.0.1:6390`);
    const other = project();
    writeFileSync(join(other, '.env'), 'REDIS_URL=redis://app:hunter22@cache.internal:6379\n');
    const run = await runCli(['init', other]);
    expect(run.stdout).toContain('REDIS_URL in .env points at cache.internal:6379, not at the new service');
    expect(run.stdout).not.toContain('hunter22');
  });

  it('REDIS_PASSWORD=s3cr#t is refused: dotenv reads s3cr, Compose s3cr#t', async () => {
    const dir = project();
    writeFileSync(join(dir, '.env'), 'REDIS_PASSWORD=s3cr#t\n');
    const run = await runCli(['init', dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'REDIS_PASSWORD in .env is read differently by dotenv/Node and Docker Compose',
    );
    expect(run.stderr).toContain("hint: quote it in single quotes: REDIS_PASSWORD='<the value>'");
  });

  it('an existing Redis (any name): exit 2 with what adopting would change, nothing written', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  broker:\n    image: redis:6\n    ports:\n      - "6379:6379"\n',
    );
    const before = snapshot(dir);
    const run = await runCli(['init', dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--- a/compose.yaml');
    expect(run.stderr).toContain('✖ compose.yaml already has a Redis service: broker');
    expect(run.stderr).toContain('hint: nothing was written; harden it in place with --adopt broker');
    expect(snapshot(dir)).toEqual(before);
  });

  it('--adopt hardens it in place: user keys and bytes kept, the data volume reused, idempotent', async () => {
    const dir = project();
    const user =
      '# top\nservices:\n  cache: # our cache\n    image: redis:6\n    container_name: shop-cache\n    ports:\n      - "6379:6379"\n    volumes:\n      - cache-data:/data\n    ulimits:\n      nofile: 10032\n  web:\n    build: .\n    env_file: .env\nvolumes:\n  cache-data:\n';
    writeFileSync(join(dir, 'compose.yaml'), user);
    const run = await runCli(['init', dir, '--adopt', 'cache', '--use', 'queue', '--wire', 'web']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const text = read(dir, 'compose.yaml');
    expect(
      text.startsWith(
        '# top\nservices:\n  cache: # our cache\n    image: redis:6\n    container_name: shop-cache\n',
      ),
    ).toBe(true);
    const svc = compose(dir).services.cache;
    expect(svc).toMatchObject({ image: 'redis:6', container_name: 'shop-cache', ulimits: { nofile: 10032 } });
    expect(svc.ports).toEqual(['127.0.0.1:6379:6379']);
    expect(svc.volumes[0]).toBe('cache-data:/data');
    expect(svc.healthcheck.test).toEqual(['CMD-SHELL', 'redis-cli -e ping | grep -q PONG']);
    expect(compose(dir).services.web.depends_on).toEqual({ cache: { condition: 'service_healthy' } });
    expect(compose(dir).services.web.environment).toEqual({
      REDIS_URL: 'redis://default:${REDIS_PASSWORD}@cache:6379',
    });
    expect(run.stdout).toContain('web gets REDIS_URL=redis://default:***@cache:6379');
    expect(read(dir, 'redis/cache.conf')).toMatch(/^maxmemory-policy noeviction$/m);
    expect(lintCompose(join(dir, 'compose.yaml'), { userFile: true })).toEqual([]);
    const again = await runCli(['init', dir, '--adopt', 'cache', '--use', 'queue', '--wire', 'web']);
    expect(again.stdout).toContain('nothing changed');
  });

  it('--dry-run shows the real lines, line numbers and why', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  web:\n    image: node:20\n  cache:\n    image: valkey/valkey:8\n',
    );
    const run = await runCli(['init', dir, '--adopt', 'cache', '--dry-run', '--wire', 'none']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('@@ -3,3 +3,20 @@');
    expect(run.stdout).toContain(
      '   cache:\n     image: valkey/valkey:8\n+    command:\n+      - valkey-server\n',
    );
    expect(run.stdout).toContain('# health check that fails on auth errors');
    expect(run.stdout).toContain('# password from REDIS_PASSWORD; cache settings from redis/cache.conf');
    expect(read(dir, 'compose.yaml')).toBe(
      'services:\n  web:\n    image: node:20\n  cache:\n    image: valkey/valkey:8\n',
    );
  });

  it('a non-Redis service with the name: exit 2, even with --force', async () => {
    const dir = project();
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  redis:\n    image: nginx:1\n');
    const run = await runCli(['init', dir, '--force']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('it is not a Redis service init can adopt: choose another --service');
  });
});

describe('init: --use, --profile, --image, providers', () => {
  it('--use both: two services, REDIS_URL for the cache, REDIS_QUEUE_URL for the queues', async () => {
    const dir = project();
    const run = await runCli(['init', dir, '--use', 'both', '--profile', 'prod', '--port', '6400']);
    expect(run.exitCode).toBe(0);
    expect(lintCompose(join(dir, 'compose.yaml'))).toEqual([]);
    const doc = compose(dir);
    expect(Object.keys(doc.services)).toEqual(['redis-cache', 'redis-queue']);
    expect(doc.services['redis-queue'].ports).toEqual(['127.0.0.1:${REDIS_QUEUE_PORT:-6401}:6379']);
    const vars = env(dir);
    expect(vars.REDIS_URL).toBe(`redis://default:${vars.REDIS_PASSWORD}@127.0.0.1:6400`);
    expect(vars.REDIS_QUEUE_URL).toBe(`redis://default:${vars.REDIS_PASSWORD}@127.0.0.1:6401`);
    const cache = read(dir, 'redis/redis-cache.conf');
    const queue = read(dir, 'redis/redis-queue.conf');
    expect(cache).toMatch(/^maxmemory 1gb$/m);
    expect(cache).toMatch(/^maxmemory-policy allkeys-lru$/m);
    expect(queue).toMatch(/^maxmemory-policy noeviction$/m);
    expect(queue).toMatch(/^appendonly yes$/m);
    expect(queue).toMatch(/^appendfsync everysec$/m);
    expect(queue).toMatch(/^save 3600 1 300 100 60 10000$/m);
    expect(run.stdout).toContain('vm.overcommit_memory=1');
  });

  it('--image valkey, --no-password, --maxmemory, --service, custom --compose and --env-file', async () => {
    const dir = project();
    mkdirSync(join(dir, 'deploy'));
    // Node 20 itself reads a script's --env-file argument and exits 9 when the file does not
    // exist yet (nodejs/node#54232): the README says to create it first.
    writeFileSync(join(dir, '.env.local'), '');
    const run = await runCli(
      [
        'init',
        '--image',
        'valkey',
        '--no-password',
        '--maxmemory',
        '64MB',
        '--service',
        'kv',
        '--compose',
        'deploy/compose.yaml',
        '--env-file',
        '.env.local',
      ],
      { cwd: dir },
    );
    expect(run.exitCode).toBe(0);
    expect(lintCompose(join(dir, 'deploy/compose.yaml'))).toEqual([]);
    const svc = compose(dir, 'deploy/compose.yaml').services.kv;
    expect(svc.image).toBe('valkey/valkey:8-alpine');
    expect(svc.command).toEqual(['valkey-server', '/usr/local/etc/valkey/valkey.conf']);
    expect(svc.environment).toBeUndefined();
    expect(svc.volumes).toContain('../redis/kv.conf:/usr/local/etc/valkey/valkey.conf:ro');
    expect(svc.healthcheck.test).toEqual(['CMD-SHELL', 'valkey-cli -e ping | grep -q PONG']);
    expect(read(dir, 'redis/kv.conf')).toMatch(/^maxmemory 64mb$/m);
    expect(read(dir, 'redis/kv.conf')).toMatch(/^protected-mode no$/m);
    expect(env(dir, '.env.local')).toEqual({ REDIS_PORT: '6379', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(read(dir, '.gitignore')).toBe('.env.local\n');
    expect(run.stdout).toContain('no password');
  });

  it('--provider upstash writes the TLS URL shape and the REST variables, no compose file', async () => {
    const dir = project();
    const { json, run } = await runJson(['init', dir, '--provider', 'upstash', '--use', 'queue']);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['.env', '.env.example', '.gitignore']);
    expect(env(dir)).toEqual({
      REDIS_URL: 'rediss://default:YOUR_UPSTASH_PASSWORD@YOUR-DATABASE.upstash.io:6379',
      UPSTASH_REDIS_REST_URL: 'https://YOUR-DATABASE.upstash.io',
      UPSTASH_REDIS_REST_TOKEN: 'YOUR_UPSTASH_REST_TOKEN',
    });
    expect(json.services).toEqual([]);
    expect(json.notes.join('\n')).toContain('fixed plan');
  });

  it('--provider elasticache writes the rediss:// URL with an RBAC user', async () => {
    const dir = project();
    const run = await runCli(['init', dir, '--provider', 'elasticache', '--use', 'both']);
    expect(run.exitCode).toBe(0);
    const vars = env(dir);
    expect(vars.REDIS_URL).toMatch(
      /^rediss:\/\/YOUR_RBAC_USER:YOUR_PASSWORD@master\..*\.cache\.amazonaws\.com:6379$/,
    );
    expect(vars.REDIS_QUEUE_URL).toBe(vars.REDIS_URL);
    expect(run.stdout).toContain('noeviction');
  });

  it('--provider upstash --with-local: a local service for development, the Upstash shape in .env.example', async () => {
    const dir = project();
    const run = await runCli(['init', dir, '--provider', 'upstash', '--with-local']);
    expect(run.exitCode).toBe(0);
    expect(lintCompose(join(dir, 'compose.yaml'))).toEqual([]);
    const vars = env(dir);
    expect(vars.REDIS_URL).toBe(`redis://default:${vars.REDIS_PASSWORD}@127.0.0.1:6379`);
    expect(vars.UPSTASH_REDIS_REST_TOKEN).toBe('YOUR_UPSTASH_REST_TOKEN');
    const example = read(dir, '.env.example');
    expect(example).toContain(
      '# production (upstash); for development: redis://default:change-me@127.0.0.1:6379\nREDIS_URL=rediss://default:YOUR_UPSTASH_PASSWORD@YOUR-DATABASE.upstash.io:6379',
    );
  });
});

describe('init --dry-run', () => {
  it('prints a unified diff per file and writes nothing', async () => {
    const dir = project();
    writeFileSync(join(dir, 'compose.yaml'), userCompose);
    writeFileSync(join(dir, '.env'), 'A=1\n');
    const before = snapshot(dir);
    const run = await runCli(['init', dir, '--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(run.stdout).toContain('--- a/compose.yaml\n+++ b/compose.yaml\n@@ ');
    expect(run.stdout).toContain('+  redis:');
    expect(run.stdout).toContain('--- /dev/null\n+++ b/redis/redis.conf\n@@ -0,0 +1,');
    expect(run.stdout).toContain('--- a/.env\n+++ b/.env\n');
    expect(run.stdout).toContain('+REDIS_PASSWORD=***');
    expect(run.stdout).toMatch(/\+REDIS_URL=redis:\/\/default:\*\*\*@127\.0\.0\.1:6379/);
    expect(run.stdout).toContain('dry run: nothing written (5 files would change)');
  });

  it('--json carries the diffs', async () => {
    const dir = project();
    const { json } = await runJson(['init', dir, '--dry-run']);
    expect(json.dryRun).toBe(true);
    expect(json.files[0].diff).toMatch(/^--- \/dev\/null\n\+\+\+ b\/compose.yaml\n/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('init: bad input (exit 2, one line and a hint, nothing written)', () => {
  const bad: Array<[string, string[], string]> = [
    ['port', ['--port', '70000'], '✖ invalid --port: 70000'],
    ['port word', ['--port', 'abc'], '✖ invalid --port: abc'],
    ['size', ['--maxmemory', 'lots'], '✖ invalid --maxmemory: lots'],
    ['provider', ['--provider', 'azure'], '✖ invalid --provider: azure'],
    ['use', ['--use', 'sessions'], '✖ invalid --use: sessions'],
    ['profile', ['--profile', 'staging'], '✖ invalid --profile: staging'],
    ['service', ['--service', 'my redis'], '✖ invalid --service: my redis'],
    ['image', ['--image', 'Redis Latest'], '✖ invalid --image: Redis Latest'],
    ['--up without a local service', ['--provider', 'upstash', '--up'], '✖ --up needs a local service'],
  ];
  for (const [name, args, message] of bad) {
    it(name, async () => {
      const dir = project();
      const run = await runCli(['init', dir, ...args]);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain(message);
      expect(lines[1]).toMatch(/^ {2}hint: /);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('a compose file that is not valid YAML', async () => {
    const dir = project();
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: "unterminated\n');
    const before = snapshot(dir);
    const run = await runCli(['init', dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^✖ compose.yaml is not valid YAML/);
    expect(run.stderr).toContain('hint: fix the file, or point --compose at another file');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a directory that does not exist', async () => {
    const dir = join(project(), 'nope');
    const run = await runCli(['init', dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `✖ directory does not exist: ${dir}\n  hint: create it first, or pass the project directory: redis-ops init <dir>`,
    );
  });

  it('a directory that is not writable', async () => {
    // /proc refuses new files even to root, unlike a chmod 0555 folder.
    const run = await runCli(['init', '/proc']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^✖ cannot write in \/proc: \w+\n {2}hint: /);
  });
});

describe('init without a terminal', () => {
  it('does not wait for answers on a closed stdin: it takes the defaults', async () => {
    const dir = project();
    const run = await runCli(['init', dir], { input: '', timeoutMs: 15_000 });
    expect(run.exitCode).toBe(0);
    expect(compose(dir).services.redis.image).toBe('redis:8.2-alpine');
  });
});
