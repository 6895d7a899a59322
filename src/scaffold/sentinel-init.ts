import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../errors.js';
import { registerSecret } from '../redis/secrets.js';
import { envValues, mergeEnvText, mergeGitignore, type EnvEntry } from './env.js';
import { generatePassword } from './plan.js';
import {
  renderDataConf,
  renderSentinelConf,
  renderTopologyCompose,
  sentinelList,
  topologyNodes,
  topologyUrl,
  type TopologyNode,
  type TopologyOptions,
} from './sentinel-topology.js';
import type { PlannedFile } from './types.js';
import { readMode } from './write.js';

/**
 * The files of `init --topology sentinel`, computed (nothing written here): a compose file of
 * its own, six configs in redis/, and REDIS_PASSWORD, REDIS_SENTINELS, REDIS_SENTINEL_MASTER and
 * a redis+sentinel:// REDIS_URL merged into .env / .env.example. A file that exists with other
 * content is a conflict (not overwritten without --force); identical files are unchanged.
 */
export interface TopologyPlan {
  dir: string;
  composeFile: string;
  envFile: string;
  files: PlannedFile[];
  conflicts: Array<{ file: string; current: string; planned: string }>;
  nodes: TopologyNode[];
  password: string | undefined;
  url: string;
  options: TopologyOptions;
}

function fileAt(dir: string, path: string, after: string, mode: number | null, summary: string): PlannedFile {
  const abs = resolve(dir, path);
  const before = existsSync(abs) ? readFileSync(abs, 'utf8') : null;
  const modeBefore = before === null ? null : readMode(abs);
  return { path, abs, before, after, mode: mode ?? modeBefore ?? 0o644, modeBefore, summary };
}

export function planTopology(
  dir: string,
  o: TopologyOptions & { compose: string },
  force: boolean,
  makePassword = generatePassword,
): TopologyPlan {
  const envAbs = resolve(dir, o.envFile);
  const envBefore = existsSync(envAbs) ? readFileSync(envAbs, 'utf8') : null;
  const have = envValues(envBefore);
  const password = o.password ? (have.REDIS_PASSWORD ?? makePassword()) : undefined;
  registerSecret(password);
  const nodes = topologyNodes(o);
  const files: PlannedFile[] = [];
  const conflicts: TopologyPlan['conflicts'] = [];
  const owned = (path: string, text: string, summary: string): void => {
    const f = fileAt(dir, path, text, null, summary);
    if (f.before !== null && f.before !== f.after && !force)
      conflicts.push({ file: path, current: f.before, planned: f.after });
    else files.push(f);
  };
  owned(o.compose, renderTopologyCompose(o), 'primary, 2 replicas, 3 sentinels');
  for (const n of nodes)
    owned(
      n.conf,
      n.role === 'sentinel' ? renderSentinelConf(n, o) : renderDataConf(n, o),
      `${n.role} ${n.name}`,
    );

  const url = have.REDIS_URL ?? topologyUrl(o, password);
  registerSecret(url);
  const entries: EnvEntry[] = [];
  if (password !== undefined)
    entries.push({ name: 'REDIS_PASSWORD', value: password, example: 'change-me', secret: true });
  entries.push(
    { name: 'REDIS_SENTINELS', value: sentinelList(o), example: sentinelList(o), secret: false },
    { name: 'REDIS_SENTINEL_MASTER', value: o.master, example: o.master, secret: false },
    {
      name: 'REDIS_URL',
      value: url,
      example: topologyUrl(o, o.password ? 'change-me' : undefined),
      secret: true,
    },
  );
  const header = `redis-ops init (sentinel: ${o.master}, primary + 2 replicas + 3 sentinels)`;
  const env = mergeEnvText(envBefore, entries, header);
  files.push(
    fileAt(
      dir,
      o.envFile,
      env.text,
      0o600,
      env.added.length ? `added ${env.added.join(', ')}` : 'mode set to 0600',
    ),
  );
  const exampleAbs = resolve(dir, '.env.example');
  const example = mergeEnvText(
    existsSync(exampleAbs) ? readFileSync(exampleAbs, 'utf8') : null,
    entries.map((e) => ({ name: e.name, value: e.example })),
    header,
  );
  files.push(
    fileAt(
      dir,
      '.env.example',
      example.text,
      null,
      example.added.length ? `added ${example.added.join(', ')}` : '',
    ),
  );
  const gitignore = mergeGitignore(
    existsSync(resolve(dir, '.gitignore')) ? readFileSync(resolve(dir, '.gitignore'), 'utf8') : null,
    o.envFile,
  );
  files.push(fileAt(dir, '.gitignore', gitignore.text, null, `${o.envFile} added`));
  return {
    dir,
    composeFile: o.compose,
    envFile: o.envFile,
    files,
    conflicts,
    nodes,
    password,
    url,
    options: o,
  };
}

export function conflictError(plan: TopologyPlan): CliError {
  const first = plan.conflicts[0];
  return new CliError(
    `${first?.file} exists with different content (diff above)`,
    'nothing was written; re-run with --force to replace it, or pass --compose <new file>',
  );
}
