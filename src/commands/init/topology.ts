import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../../errors.js';
import { parseChoice } from '../../options.js';
import type { RunContext } from '../connection.js';
import type { InitOptions, InitResult } from './types.js';

/** `init --topology sentinel`: flags → plan → write → (--up) start and doctor. */
export async function initTopology(
  options: InitOptions,
  ctx: RunContext,
  dir: string,
  timeoutMs: number,
): Promise<InitResult> {
  const { planTopology, conflictError } = await import('../../scaffold/sentinel-init.js');
  const { composeNames } = await import('../../scaffold/compose.js');
  const { parsePort, defaultImage, valkeyImage } = await import('../../scaffold/settings.js');
  const { checkProjectDir, needsWrite, writeChanges } = await import('../../scaffold/write.js');
  const { unifiedDiff } = await import('../../scaffold/diff.js');
  const { redact, maskUrlText } = await import('../../redis/secrets.js');
  // Standalone never gets here: anything else than sentinel is a typo (`invalid --topology: ring`).
  parseChoice(options.topology, '--topology', ['sentinel', 'standalone'] as const);
  for (const [flag, value] of [
    ['--provider', options.provider && options.provider !== 'local' ? options.provider : undefined],
    ['--use', options.use && options.use !== 'queue' ? options.use : undefined],
    ['--service', options.service],
    ['--with-local', options.withLocal],
  ] as const)
    if (value !== undefined)
      throw usageError(
        `${flag} does not apply to --topology sentinel`,
        'drop it: the topology is local, for queues and caches alike',
      );
  const dataPort = parsePort(options.port, 6379);
  const sentinelPort = parsePort(options.sentinelPort, 26379, '--sentinel-port');
  if (dataPort + 2 > 65535 || sentinelPort + 2 > 65535)
    throw usageError(
      'ports out of range',
      'the topology uses three consecutive ports from --port and from --sentinel-port',
    );
  const overlap = [0, 1, 2].some((i) => Math.abs(dataPort + i - sentinelPort) <= 2);
  if (overlap)
    throw usageError('--port and --sentinel-port overlap', 'they each take three consecutive ports');
  const master = options.master ?? 'mymaster';
  if (!/^[A-Za-z0-9._-]+$/.test(master))
    throw usageError(`invalid --master "${master}"`, 'letters, digits, ".", "_" and "-" only');
  const image =
    options.image === undefined ? defaultImage : options.image === 'valkey' ? valkeyImage : options.image;
  // A compose file of its own when the project has one: init changes no byte it does not own.
  const existing = composeNames.find((n) => existsSync(join(dir, n)));
  const ours = (f: string): boolean =>
    readFileSync(join(dir, f), 'utf8').includes('written by redis-ops init --topology sentinel');
  const own = ['compose.sentinel.yaml', ...composeNames].find((n) => existsSync(join(dir, n)) && ours(n));
  const compose = options.compose ?? own ?? (existing ? 'compose.sentinel.yaml' : 'compose.yaml');
  const dryRun = options.dryRun === true;
  checkProjectDir(dir, !dryRun);
  const plan = planTopology(
    dir,
    {
      master,
      image,
      engine: /valkey/.test(image) ? 'valkey' : 'redis',
      dataPort,
      sentinelPort,
      password: options.password !== false,
      envFile: options.envFile ?? '.env',
      confDir: 'redis',
      compose,
    },
    options.force === true,
  );
  if (plan.conflicts.length > 0) {
    for (const c of plan.conflicts) process.stderr.write(redact(unifiedDiff(c.current, c.planned, c.file)));
    throw conflictError(plan);
  }
  const changes = plan.files.filter(needsWrite);
  if (!dryRun && changes.length > 0) writeChanges(changes);
  let up: InitResult['up'] = null;
  if (options.up && !dryRun) {
    const { bringUpTopology } = await import('../../scaffold/sentinel-up.js');
    let confirm: ((m: string) => Promise<boolean>) | undefined;
    if (ctx.stdinIsTTY && !options.yes && !options.json) {
      const { askConfirm } = await import('../../ui/prompt.js');
      confirm = (m) => askConfirm(m, true);
    }
    up = await bringUpTopology(plan, { env: ctx.env, timeoutMs, healthMs: 120_000, confirm });
  }
  const mask = (u: string): string => maskUrlText(redact(u));
  const notes = [
    `apps on this machine: REDIS_URL (redis+sentinel://) or REDIS_SENTINELS + REDIS_SENTINEL_MASTER with REDIS_PASSWORD; ioredis: new Redis({ sentinels, name: '${master}', password, sentinelPassword })`,
    `the six nodes share one network namespace (service redis-net) so the announced 127.0.0.1 addresses work from the host; host and container ports are equal`,
    `try a failover: redis-cli -p ${sentinelPort} -a "$REDIS_PASSWORD" SENTINEL FAILOVER ${master}, then redis-ops doctor`,
  ];
  if (existing && compose !== existing && !options.compose)
    notes.unshift(
      `the project has ${existing}: the topology went to ${compose} (docker compose -f ${compose} up -d)`,
    );
  return {
    dir,
    dryRun,
    provider: 'local',
    use: 'sentinel',
    profile: 'dev',
    image,
    envFile: plan.envFile,
    services: plan.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      port: n.port,
      url: mask(plan.url),
      urlVar: 'REDIS_URL',
      conf: n.conf,
    })),
    files: plan.files.map((f) => ({
      path: f.path,
      action: f.before === null ? 'create' : needsWrite(f) ? 'update' : 'unchanged',
      summary: f.summary,
      diff: dryRun ? redact(unifiedDiff(f.before, f.after, f.path)) || undefined : undefined,
    })),
    changed: changes.length > 0,
    notes: notes.map(redact),
    wired: [],
    adopted: [],
    up,
  };
}
