import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fake `docker` for init --up: records each call's argv (one JSON line) and answers like
 * Docker Compose would. FAKE_DOCKER_MODE: ok | no-compose (the client without the compose
 * plugin, as on these machines) | up-fails | unhealthy.
 */
const script = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_DOCKER_LOG, JSON.stringify(args) + '\\n');
const mode = process.env.FAKE_DOCKER_MODE || 'ok';
if (args[0] !== 'compose') { process.stderr.write('fake docker: only compose\\n'); process.exit(1); }
if (mode === 'no-compose') { process.stderr.write("docker: unknown command: docker compose\\n"); process.exit(1); }
if (args[1] === 'version') { process.stdout.write('Docker Compose version v2.29.7\\n'); process.exit(0); }
const verb = args.find((a) => a === 'up' || a === 'ps');
if (verb === 'up') {
  if (mode === 'up-fails') { process.stderr.write('Error response from daemon: pull access denied\\n'); process.exit(1); }
  process.exit(0);
}
if (verb === 'ps') {
  const names = args.slice(args.indexOf('json') + 1);
  for (const n of names) process.stdout.write(JSON.stringify({ Service: n, State: 'running', Health: mode === 'unhealthy' ? 'unhealthy' : 'healthy' }) + '\\n');
  process.exit(0);
}
process.exit(1);
`;

export interface FakeDocker {
  binDir: string;
  log: string;
  calls(): string[][];
}

export function makeFakeDocker(): FakeDocker {
  const binDir = mkdtempSync(join(tmpdir(), 'redis-ops-fakebin-'));
  const file = join(binDir, 'docker');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  const log = join(binDir, 'calls.ndjson');
  writeFileSync(log, '');
  return {
    binDir,
    log,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
  };
}
