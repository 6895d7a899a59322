import { readFileSync } from 'node:fs';
import type { Command as CommandType } from 'commander';
import { Command, CommanderError } from './commander.js';
import { registerDoctor } from './commands/doctor/index.js';
import { registerInit } from './commands/init/index.js';
import { registerQueues } from './commands/queues/index.js';
import { registerFlush } from './commands/flush/index.js';
import { registerStats } from './commands/stats/index.js';
import { defaultContext, type RunContext } from './commands/connection.js';
import { CliError, ExitCode } from './errors.js';
import { redact } from './redis/secrets.js';
import { printError } from './ui/output.js';
import { installSignalHandler } from './ui/signals.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Builds the program; cli.ts only wires commands, each command lives in src/commands/<name>/. */
export function buildProgram(ctx: RunContext = defaultContext()): CommandType {
  const program = new Command('redis-ops')
    .description(
      'Operations CLI for Redis: diagnose connections, read stats, inspect BullMQ queues, flush namespaces, scaffold compose',
    )
    .version(pkg.version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ outputError: (str, write) => write(redact(str)) });
  registerInit(program, ctx);
  registerDoctor(program, ctx);
  registerStats(program, ctx);
  registerQueues(program, ctx);
  registerFlush(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 a check failed, 2 usage/config/connection error, 130 cancelled.',
  );
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; real usage errors are 2.
      return err.exitCode === 0 ? 0 : ExitCode.usage;
    }
    if (err instanceof CliError) {
      printError(redact(err.message), err.hint ? redact(err.hint) : undefined);
      return err.exitCode;
    }
    process.stderr.write(`${redact(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    return ExitCode.usage;
  }
}

installSignalHandler();
// `redis-ops doctor | head` closes our stdout early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await main();
process.exitCode = code;
// Pending sockets or timers of a failed probe must not keep the process alive; but a large
// result (queues --json over 10,000 queues) is still being written to a pipe: exit only once
// stdout has flushed it (the callback of an empty write runs after every earlier write).
process.stdout.write('', () => setTimeout(() => process.exit(code), 50).unref());
