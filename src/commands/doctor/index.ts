import type { Command } from 'commander';
import { summarize, type CheckResult, type Summary } from '../../doctor/types.js';
import type { ServerFacts } from '../../redis/info.js';
import type { Provider } from '../../redis/provider.js';
import type { ConnectionFlags, Target } from '../../redis/target.js';
import { configureColor } from '../../ui/colors.js';
import { writeJson, writeStdout } from '../../ui/output.js';
import { addConnectionOptions, targetFromFlags, type RunContext } from '../connection.js';
import { renderDoctor, toDoctorJson } from './render.js';

export interface DoctorOptions extends ConnectionFlags {
  json?: boolean;
  color?: boolean;
}

export interface DoctorResult {
  target: string;
  provider: Provider;
  server: ServerFacts | null;
  checks: CheckResult[];
  summary: Summary;
  ok: boolean;
}

export async function doctor(target: Target): Promise<DoctorResult> {
  // Lazy: ioredis and the probes load only when doctor runs, so --help stays fast.
  const { runLadder } = await import('../../doctor/ladder.js');
  const ladder = await runLadder(target);
  try {
    const checks = ladder.checks;
    const summary = summarize(checks);
    return { target: target.display, provider: ladder.provider, server: ladder.server, checks, summary, ok: summary.fail === 0 };
  } finally {
    await ladder.connection?.close();
  }
}

export function registerDoctor(program: Command, ctx: RunContext): void {
  const cmd = program
    .command('doctor')
    .description('check that this Redis is reachable, and explain why not: DNS, TCP, TLS, auth, server, topology')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops doctor
  $ redis-ops doctor --url rediss://default:$TOKEN@eu1-x.upstash.io:6379
  $ redis-ops doctor --url rediss://master.my-cache.abc.use1.cache.amazonaws.com:6379 --json
  $ redis-ops doctor --url rediss://localhost:6380 --cacert ./ca.crt`,
    );
  addConnectionOptions(cmd).action(async (opts: DoctorOptions) => {
    configureColor({ color: opts.color, json: opts.json });
    const { target } = targetFromFlags(opts, ctx);
    const result = await doctor(target);
    if (opts.json) writeJson(toDoctorJson(result));
    else writeStdout(renderDoctor(result));
    process.exitCode = result.ok ? 0 : 1;
  });
}
