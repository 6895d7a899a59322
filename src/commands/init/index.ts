import { existsSync, readFileSync } from 'node:fs';
import { resolve, resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { CliError, usageError } from '../../errors.js';
import type { InitPlan } from '../../scaffold/types.js';
import { configureColor } from '../../ui/colors.js';
import { writeJson, writeStdout } from '../../ui/output.js';
import { Option } from '../../commander.js';
import { defaultTimeoutMs } from '../../redis/timeout.js';
import { envFileFlag, inspectPoint, type RunContext } from '../connection.js';
import type { UpResult } from '../../scaffold/types.js';
import type { InitOptions, InitResult } from './types.js';

/** --wire a,b | none → the list ([] for none); undefined when not given. */
export function parseWire(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === 'none') return [];
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new CliError('--wire needs service names', 'e.g. --wire api,worker, or --wire none');
  return names;
}

/** Interactive only on a terminal, never with --yes, --json or in CI (a flag for every question). */
export function isInteractive(o: InitOptions, ctx: RunContext): boolean {
  const ci = ctx.env.CI !== undefined && ctx.env.CI !== '' && ctx.env.CI !== 'false';
  return ctx.stdinIsTTY && !o.yes && !o.json && !ci;
}

export async function init(options: InitOptions, ctx: RunContext): Promise<InitResult> {
  // Lazy: yaml, execa and the prompt library load only when init runs.
  const { resolveSettings } = await import('../../scaffold/settings.js');
  const { planInit } = await import('../../scaffold/plan.js');
  const { checkProjectDir, needsWrite, writeChanges } = await import('../../scaffold/write.js');
  const { unifiedDiff } = await import('../../scaffold/diff.js');
  const { inspectCompose: inspect, findComposeFile } = await import('../../scaffold/compose.js');
  const { redact, maskUrlText } = await import('../../redis/secrets.js');
  const { parseTimeout } = await import('../../redis/target.js');

  const dir = resolve(ctx.cwd, options.dir ?? '.');
  const timeoutMs = parseTimeout(options.timeout);
  if (options.topology !== undefined && options.topology !== 'standalone') {
    const { initTopology } = await import('./topology.js');
    return initTopology(options, ctx, dir, timeoutMs);
  }
  // A sentinel flag without the topology would be silently ignored: the files would not have it.
  for (const [flag, value] of [
    ['--sentinel-port', options.sentinelPort],
    ['--master', options.master],
  ] as const)
    if (value !== undefined)
      throw usageError(`${flag} applies only to --topology sentinel`, 'add --topology sentinel, or drop it');
  resolveSettings(options); // bad flags fail before any question is asked
  const interactive = isInteractive(options, ctx);
  let wire = parseWire(options.wire);
  let answers = options;
  if (interactive) {
    const { askMissing, askAdopt, askWire } = await import('./ask.js');
    // The Redis already there decides the rest: ask about it first.
    const found = peekCompose(dir, options.compose, inspect, findComposeFile);
    if (found && found.redis.length > 0 && options.adopt === undefined && options.service === undefined)
      answers = { ...answers, adopt: await askAdopt(found.file, found.redis) };
    answers = { ...answers, ...(await askMissing(answers)) };
    if (wire === undefined && found && found.apps.length > 0) wire = await askWire(found.apps);
  }
  const settings = resolveSettings(answers);
  if (answers.up && settings.services.length === 0) {
    throw new CliError(
      `--up needs a local service, and --provider ${settings.provider} has none`,
      'add --with-local to also write a local service for development',
    );
  }
  const dryRun = options.dryRun === true;
  checkProjectDir(dir, !dryRun);
  const plan = planInit(settings, dir, {
    force: options.force === true,
    adopt: answers.adopt,
    wire,
    serviceGiven: answers.service !== undefined,
  });

  if (plan.conflicts.length > 0) throw conflictError(plan, unifiedDiff, redact);
  if (plan.envTracked && !dryRun) {
    // A password in a committed file is a leak waiting for the next push.
    const warning = `${plan.envFile} is tracked by git: the password init writes into it would be committed`;
    const fix = `git rm --cached ${plan.envFile} (and keep it in .gitignore)`;
    if (interactive) {
      const { askConfirm } = await import('../../ui/prompt.js');
      process.stderr.write(`⚠ ${warning}\n  hint: ${fix}\n`);
      if (!(await askConfirm(`Write the password into ${plan.envFile} anyway?`, false)))
        throw new CliError('nothing was written', fix);
    } else if (!options.yes)
      throw new CliError(`${warning}; nothing was written`, `${fix}, or pass --yes to write it anyway`);
    else plan.notes.unshift(`warning: ${warning}; ${fix}`);
  }
  const changes = plan.files.filter(needsWrite);
  if (interactive && !dryRun && changes.length > 0) {
    // One confirmation, after the questions, before anything is written.
    const { askConfirm } = await import('../../ui/prompt.js');
    const { CancelledError } = await import('../../errors.js');
    const list = changes.map((c) => c.path).join(', ');
    if (
      !(await askConfirm(
        `Write ${changes.length === 1 ? 'this file' : `these ${changes.length} files`}? (${list})`,
        true,
      ))
    )
      throw new CancelledError('nothing was written');
  }
  if (!dryRun && changes.length > 0) writeChanges(changes);

  let up: UpResult | null = null;
  if (answers.up && !dryRun) {
    const { bringUp } = await import('../../scaffold/up.js');
    let confirm: ((m: string) => Promise<boolean>) | undefined;
    if (interactive) {
      const { askConfirm } = await import('../../ui/prompt.js');
      confirm = (m) => askConfirm(m, true);
    }
    up = await bringUp(plan, { env: ctx.env, timeoutMs, healthMs: 120_000, confirm, image: settings.image });
  }
  const mask = (u: string): string => maskUrlText(redact(u));
  return {
    dir,
    dryRun,
    provider: settings.provider,
    use: settings.use,
    profile: settings.profile,
    image: settings.image,
    envFile: plan.envFile,
    services: plan.services.map((s) => ({
      name: s.name,
      role: s.role,
      port: s.port,
      url: mask(s.url),
      urlVar: s.urlVar,
      conf: s.conf,
    })),
    files: plan.files.map((f) => ({
      path: f.path,
      action: f.before === null ? 'create' : needsWrite(f) ? 'update' : 'unchanged',
      // An unchanged file's planned summary ("volumes added") would describe a change not made.
      summary:
        f.before !== null && !needsWrite(f)
          ? 'up to date'
          : f.before !== null && f.before === f.after
            ? `mode set to ${f.mode.toString(8)}`
            : f.summary,
      diff: dryRun ? redact(unifiedDiff(f.before, f.after, f.path)) || undefined : undefined,
      ...(f.path === plan.composeFile && f.before !== null && plan.reasons.length > 0 && needsWrite(f)
        ? { reasons: plan.reasons.map(redact) }
        : {}),
    })),
    changed: changes.length > 0,
    notes: plan.notes.map(redact),
    wired: plan.wire.wired.map((w) => ({
      service: w.service,
      vars: Object.fromEntries(Object.entries(w.vars).map(([k, v]) => [k, mask(v)])),
    })),
    adopted: plan.adopted,
    up,
  };
}

/** Where the compose file is and what it holds (for the questions); null without one. */
function peekCompose(
  dir: string,
  flag: string | undefined,
  inspect: typeof import('../../scaffold/compose.js').inspectCompose,
  // Passed in: compose.js loads yaml, which every other command would pay for at startup.
  findComposeFile: typeof import('../../scaffold/compose.js').findComposeFile,
): { file: string; redis: Array<{ name: string; image: string }>; apps: string[] } | null {
  const file = findComposeFile(dir, flag);
  const abs = resolvePath(dir, file);
  const found = inspect(existsSync(abs) ? readFileSync(abs, 'utf8') : null, file);
  return found && { file, ...found };
}

function conflictError(
  plan: InitPlan,
  unifiedDiff: (a: string | null, b: string, path: string) => string,
  redact: (t: string) => string,
): CliError {
  const first = plan.conflicts[0];
  if (first?.adoptable) {
    // Show what adopting would change, then say how to ask for it.
    if (first.planned)
      process.stderr.write(
        redact(
          unifiedDiff(plan.files.find((f) => f.path === first.file)?.before ?? '', first.planned, first.file),
        ),
      );
    return new CliError(
      `${first.file} already has a Redis service: ${first.service}${first.planned ? ' (what hardening it would change is above)' : ''}`,
      `nothing was written; harden it in place with --adopt ${first.service} (keeps its data, networks and settings), or add a second one with --service <name>`,
    );
  }
  for (const c of plan.conflicts) process.stderr.write(redact(unifiedDiff(c.current, c.planned, c.file)));
  return new CliError(
    `${first?.file}: ${first?.file.endsWith('.conf') ? 'the config of' : 'service'} ${first?.service} exists with different settings (diff above)`,
    first?.file.endsWith('.conf')
      ? 'nothing was written; re-run with --force to replace it, or choose another --service'
      : 'nothing was written; it is not a Redis service init can adopt: choose another --service',
  );
}

export function registerInit(program: Command, ctx: RunContext): void {
  program
    .command('init')
    .description(
      'add a secure Redis service (compose, redis.conf, .env) to this project, or the env entries for Upstash/ElastiCache',
    )
    .argument('[dir]', 'project directory', '.')
    .option('--provider <name>', 'local | upstash | elasticache (default: local)')
    .option('--with-local', 'with a remote provider, also add a local service for development')
    .option('--use <use>', 'cache | queue | both (default: cache)')
    .option('--profile <profile>', 'dev | prod: maxmemory and persistence defaults (default: dev)')
    .option(
      '--service <name>',
      'compose service name (default: redis; with --use both: <name>-cache, <name>-queue)',
    )
    .option('--port <n>', 'host port on 127.0.0.1 (default: 6379; --use both: queue on port + 1)')
    .option(
      '--image <ref>',
      'image, pinned (default: redis:8.2-alpine; "valkey" means valkey/valkey:8-alpine)',
    )
    .option('--maxmemory <size>', 'e.g. 256mb, 1gb (default: 256mb dev, 1gb prod)')
    .option('--no-password', 'no password (default: generate one into .env)')
    .option('--compose <file>', 'compose file (default: the existing one, else compose.yaml)')
    .option('--dotenv <file>', 'env file to write (default: .env)')
    // The old name: Node 20 reads --env-file from npx's own argv and exits 9 when the file is missing.
    .addOption(new Option('--env-file <file>', 'same as --dotenv (not through npx/npm)').hideHelp())
    .option('--dry-run', 'print the changes as unified diffs, write nothing')
    .option('--adopt <service>', 'harden this existing Redis service in place (keeps its data and settings)')
    .option('--wire <services>', 'app services to wire to Redis (depends_on, networks, REDIS_URL), or "none"')
    .option('--force', 'adopt an existing Redis service, or replace a config file, without asking')
    .option('--up', 'then start it (docker compose up -d, or redis-server) and run doctor')
    .option(
      '--topology <kind>',
      'standalone | sentinel: primary, 2 replicas, 3 sentinels (default: standalone)',
    )
    .option('--sentinel-port <n>', 'with --topology sentinel: first sentinel port (default: 26379)')
    .option('--master <name>', 'with --topology sentinel: the master name (default: mymaster)')
    .option('-y, --yes', 'take defaults, ask nothing (implied without a terminal)')
    .option(
      '--timeout <duration>',
      'bound for each network step of the doctor run after --up: 5s (bare: ms)',
      String(defaultTimeoutMs),
    )
    .option('--json', 'print one JSON document on stdout')
    .option('-q, --quiet', 'results only: no notes or progress on stderr')
    .option('--no-color', 'disable colour')
    .addHelpText(
      'after',
      `
Examples:
  $ npx redis-ops init
  $ npx redis-ops init --yes --use queue --profile prod
  $ npx redis-ops init ./api --use both --port 6380 --dry-run
  $ npx redis-ops init --provider upstash --with-local --use queue
  $ npx redis-ops init --image valkey --up
  $ npx redis-ops init --adopt cache --use queue --wire api,worker --dry-run
  $ npx redis-ops init --topology sentinel --up`,
    )
    .action(async (dir: string, opts: InitOptions, cmd: Command) => {
      await configureColor({ color: opts.color, json: opts.json });
      // --no-password defaults to true; only a given flag should skip the question.
      const password = cmd.getOptionValueSource('password') === 'cli' ? opts.password : undefined;
      const envFile = envFileFlag(opts);
      inspectPoint(ctx, 'init', { dir, ...opts, envFile, dotenv: undefined, password });
      const result = await init({ ...opts, dir, password, envFile }, ctx);
      const { renderInit, toInitJson } = await import('./render.js');
      if (opts.json) writeJson(toInitJson(result));
      else writeStdout(renderInit(result));
      process.exitCode = result.up && !result.up.ok ? 1 : 0;
    });
}
