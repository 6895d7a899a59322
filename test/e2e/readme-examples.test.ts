import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The README's examples run, so the README cannot drift: every line of a fenced `sh` block that
 * names redis-ops is run against a local server (REDIS_URL, and any redis:// URL in the line
 * replaced by it) in a temp dir. An example may fail for a reason of its own (no redis-ops.yaml,
 * no queue named email, no terminal to confirm on), but never because a flag, a command or a
 * value it shows is not accepted, and never as a crash.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function exampleLines(): string[] {
  const lines: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const line of (block[1] ?? '').split('\n'))
      if (/^(npx )?redis-ops /.test(line.trim())) lines.push(line.trim());
  return lines;
}

/** Why a line cannot run here (needs the internet, a TLS server, Docker, or runs until Ctrl-C). */
function skipReason(line: string): string | undefined {
  if (/\$[A-Z_{]/.test(line)) return 'needs an environment variable';
  if (/rediss:\/\/|upstash/.test(line)) return 'needs a TLS or remote server';
  if (/ --up\b/.test(line)) return 'starts Docker or a server';
  if (/ completion \w+ >>? /.test(line)) return 'writes into the home directory';
  return undefined;
}

/** A small shell-words split: quotes group, a # outside quotes starts a comment, | and > end the command. */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else if ((ch === '#' || ch === '|' || ch === '>') && !inWord) {
      break;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
  await server.client().set('cache:page:[v1]:home', 'x');
});
afterAll(async () => {
  await server?.stop();
});

describe('README examples', () => {
  const lines = exampleLines();
  it('there are examples to run', () => {
    expect(lines.length).toBeGreaterThan(30);
  });

  it.each(lines)('%s', async (line) => {
    const reason = skipReason(line);
    if (reason) return;
    let args = words(line).slice(line.startsWith('npx ') ? 2 : 1);
    args = args.map((a) => (/^redis:\/\//.test(a) ? server.url : a));
    // --watch runs until Ctrl-C or --count: one row is enough to show the flags are right.
    if (args.includes('--watch')) {
      const i = args.indexOf('--count');
      if (i === -1) args.push('--count', '1');
      else args[i + 1] = '1';
    }
    const run = await runCli(args, {
      cwd: mkdtempSync(join(tmpdir(), 'redis-ops-readme-')),
      env: { REDIS_URL: server.url },
    });
    expect(run.stderr).not.toMatch(
      /unknown (option|command)|too many arguments|argument missing|invalid --|internal error/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect([0, 1, 2]).toContain(run.exitCode);
    if (run.exitCode === 2) expect(run.stderr).toMatch(/^✖ .+\n {2}hint: /m);
  });
});
