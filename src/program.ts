import { readFileSync } from 'node:fs';
import type { Command as CommandType } from 'commander';
import { Command } from './commander.js';
import { defaultContext, type RunContext } from './commands/connection.js';
import { reportError } from './report.js';
import { setQuiet } from './ui/output.js';

export const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

type Register = (program: CommandType, ctx: RunContext) => void;

/**
 * The commands in the order help lists them, each module loaded only when the program needs it:
 * a run of one command (`redis-ops flush …`) loads and registers that one alone. The others'
 * registration was about 15 ms of every start (queues' alone 8-13 ms of module loading,
 * 2026-12-02), a measurable part of a flush's distance to the server's floor (README, Benchmarks).
 */
const commands: Array<[string, () => Promise<Register>]> = [
  ['init', async () => (await import('./commands/init/index.js')).registerInit],
  ['doctor', async () => (await import('./commands/doctor/index.js')).registerDoctor],
  ['stats', async () => (await import('./commands/stats/index.js')).registerStats],
  ['queues', async () => (await import('./commands/queues/index.js')).registerQueues],
  ['flush', async () => (await import('./commands/flush/index.js')).registerFlush],
  ['completion', async () => (await import('./commands/completion.js')).registerCompletion],
];

/**
 * The command argv runs when it can run alone: its name first (the root has no options a
 * command could follow). `completion` and `help` read every command; anything else (a typo,
 * -V, no command) gets the whole program, with its suggestions.
 */
export function soleCommand(argv: string[]): string | undefined {
  const first = argv[2];
  return first !== 'completion' && commands.some(([name]) => name === first) ? first : undefined;
}

/**
 * Builds the program; it only wires commands, each command lives in src/commands/<name>/.
 * Importable without side effects (tests build it); src/cli.ts is the entry that runs it.
 * `only` registers that one command alone (see soleCommand).
 */
export async function buildProgram(ctx: RunContext = defaultContext(), only?: string): Promise<CommandType> {
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
  const wanted = commands.filter(([name]) => only === undefined || name === only);
  const registrars = await Promise.all(wanted.map(([, load]) => load()));
  for (const register of registrars) register(program, ctx);
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
  const program = await buildProgram(ctx, soleCommand(argv));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err, program, argv.slice(2), ctx.env);
  }
}
