import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { lintCompose } from '../helpers/compose-lint.js';

/**
 * Issue 12's wiring cases in one project as real ones have them: a Redis service built from a
 * `<<: *base` anchor defined elsewhere, an app on a custom network that loads `env_file: .env`
 * (where init writes the host's 127.0.0.1 URL) and says `REDIS_HOST: localhost`.
 */
const user = `x-base: &base
  restart: unless-stopped
  logging:
    driver: json-file

services:
  cache:
    <<: *base
    image: redis:7.2
    ports: ["6379:6379"]
  api:
    <<: *base
    build: ./api
    env_file: .env
    networks: [backend]
    environment:
      REDIS_HOST: localhost
      REDIS_PORT: "6379"

networks:
  backend: {}
`;

describe('init --adopt --wire on an anchored service and an app on its own network', () => {
  it('joins the network, overrides env_file with the container URL, replaces localhost (said), keeps the anchor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-ops-wire-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'compose.yaml'), user);
    const run = await runCli(['init', dir, '--adopt', 'cache', '--wire', 'api']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const text = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    // The user's anchor, merges and network block are the same bytes.
    expect(text.startsWith(user.slice(0, user.indexOf('  cache:')))).toBe(true);
    expect(text).toContain('  cache:\n    <<: *base\n    image: redis:7.2\n');
    expect(text).toContain(
      '  api:\n    <<: *base\n    build: ./api\n    env_file: .env\n    networks: [backend]\n',
    );
    expect(text.endsWith('networks:\n  backend: {}\n')).toBe(true);
    const doc = parse(text, { merge: true });
    expect(doc.services.cache.networks).toEqual(['backend']);
    expect(doc.services.cache.restart).toBe('unless-stopped'); // the merge still resolves
    expect(doc.services.api.environment).toEqual({
      REDIS_HOST: 'cache',
      REDIS_PORT: '6379',
      // environment wins over env_file, whose REDIS_URL is the host's 127.0.0.1
      REDIS_URL: 'redis://default:${REDIS_PASSWORD}@cache:6379',
    });
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(
      /^REDIS_URL=redis:\/\/default:.*@127\.0\.0\.1:6379$/m,
    );
    expect(doc.services.api.depends_on).toEqual({ cache: { condition: 'service_healthy' } });
    expect(run.stdout).toContain('api gets REDIS_URL=redis://default:***@cache:6379, REDIS_HOST=cache');
    expect(run.stdout).toMatch(/service api: REDIS_HOST localhost → cache/);
    // Compose v1 and dclint accept it; a second run changes nothing.
    execFileSync('docker-compose', ['-f', join(dir, 'compose.yaml'), 'config', '-q'], {
      cwd: dir,
      stdio: 'pipe',
    });
    expect(lintCompose(join(dir, 'compose.yaml'), { userFile: true })).toEqual([]);
    const again = await runCli(['init', dir, '--adopt', 'cache', '--wire', 'api']);
    expect(again.stdout).toContain('nothing changed');
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(text);
  });
});
