import { readFileSync } from 'node:fs';
import type { Command as CommandType } from 'commander';
import { Command } from './commander.js';
import { registerDoctor } from './commands/doctor/index.js';
import { registerInit } from './commands/init/index.js';
import { registerQueues } from './commands/queues/index.js';
import { registerFlush } from './commands/flush/index.js';
import { registerStats } from './commands/stats/index.js';
import { registerCompletion } from './commands/completion.js';
import { defaultContext, type RunContext } from './commands/connection.js';
import { reportError } from './report.js';
import { setQuiet } from './ui/output.js';

export const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * Builds the program; it only wires commands, each command lives in src/commands/<name>/.
 * Importable without side effects (tests build it); src/cli.ts is the entry that runs it.
 */
export function buildProgram(ctx: RunContext = defaultContext()): CommandType {
  const program = new Command('redis-ops')
    .description(
      'Operations CLI for Redis: diagnose connections, read stats, inspect BullMQ queues, flush namespaces, scaffold compose',
    )
    // -h is --host in every Redis tool: help is --help (and `redis-ops help <command>`) only.
    // Set before the subcommands are added: they inherit it.
    .helpOption('--help', 'display help for command')
    .version(pkg.version, '-V, --version', 'print the version')
    .exitOverride()
    // main() prints commander's errors in the house form (✖ message / hint:), see report.ts.
    .configureOutput({ outputError: () => undefined });
  // -v as well: it was the version flag before -V (redis-cli's).
  program.option('-v', 'same as -V').on('option:v', () => {
    process.stdout.write(`${pkg.version}\n`);
    process.exit(0);
  });
  registerInit(program, ctx);
  registerDoctor(program, ctx);
  registerStats(program, ctx);
  registerQueues(program, ctx);
  registerFlush(program, ctx);
  registerCompletion(program, ctx);
  program.hook('preAction', (_self, action) => setQuiet(action.opts<{ quiet?: boolean }>().quiet === true));
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 a check failed, 2 usage/config/connection error, 130 cancelled, 70 a bug in redis-ops.',
  );
  return program;
}

export async function main(
  argv: string[] = process.argv,
  ctx: RunContext = defaultContext(),
): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err, program, argv.slice(2), ctx.env);
  }
}
