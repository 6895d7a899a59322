import type { Command, CommanderError as CommanderErrorType } from 'commander';
import { CommanderError } from './commander.js';
import { CliError, ExitCode, type ErrorJson } from './errors.js';
import { closest } from './options.js';
import { errorText, explainError } from './redis/hints.js';
import { redact } from './redis/secrets.js';
import type { Env } from './redis/target.js';
import { printError } from './ui/output.js';

/**
 * The one error path. Every failure of every command ends here and leaves as:
 *   ✖ what is wrong
 *     hint: what to do
 * with exit 2 (usage, config, connection), or the CliError's own code. Under --json stdout also
 * gets one document, {"error": {"message", "hint", "exitCode"}}, so a pipeline can parse it.
 * What neither a person nor a server can cause is a bug: a report to file, exit 70 (never 1,
 * which means "a check failed"). REDIS_OPS_DEBUG=1 prints every stack, causes included.
 */
export function reportError(err: unknown, program: Command, args: string[], env: Env): number {
  if (err instanceof CommanderError && err.exitCode === 0) return 0; // --help, --version
  const known = toCliError(err, program, args);
  const debug = env.REDIS_OPS_DEBUG === '1' || env.REDIS_OPS_DEBUG === 'true';
  if (known) {
    printError(redact(known.message), known.hint ? redact(known.hint) : undefined);
    if (debug) printStack(err);
    if (wantsJson(args))
      writeJsonError({ message: known.message, hint: known.hint ?? null, exitCode: known.exitCode });
    return known.exitCode;
  }
  const message = `internal error: ${errorText(err)}`;
  printError(
    redact(message),
    'this is a bug in redis-ops, not in your setup: please file an issue with the command line (passwords masked), the output above and the stack below',
  );
  printStack(err);
  if (wantsJson(args))
    writeJsonError({ message, hint: 'a bug in redis-ops: please file an issue', exitCode: 70 });
  return ExitCode.internal;
}

/** The --json error document (ErrorJson), secrets redacted like the text on stderr. */
function toErrorJson(error: ErrorJson['error']): ErrorJson {
  return { error: { ...error, message: redact(error.message), hint: error.hint && redact(error.hint) } };
}

function writeJsonError(error: ErrorJson['error']): void {
  process.stdout.write(`${JSON.stringify(toErrorJson(error), null, 2)}\n`);
}

function printStack(err: unknown): void {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    process.stderr.write(`${depth ? 'caused by: ' : ''}${redact(e.stack ?? e.message)}\n`);
    e = e.cause;
  }
}

/** --json, or doctor's --format json, before a `--`. */
function wantsJson(args: string[]): boolean {
  const end = args.indexOf('--');
  const own = end === -1 ? args : args.slice(0, end);
  return own.some(
    (a, i) => a === '--json' || (a === '--format' && own[i + 1] === 'json') || a === '--format=json',
  );
}

/**
 * Errors a person or a server can cause, as CliErrors: our own, commander's usage errors, and
 * a server or network failing mid-run (`queues` while Redis restarts). undefined: a bug.
 */
function toCliError(err: unknown, program: Command, args: string[]): CliError | undefined {
  if (err instanceof CliError) return err;
  if (err instanceof CommanderError) return fromCommander(err, program, args);
  const text = errorText(err);
  const { cause, hint } = explainError(err);
  const dropped =
    cause === 'reset' ||
    /Connection is closed|Stream isn't writeable|EPIPE|MaxRetriesPerRequest|Reached the max retries/i.test(
      text,
    );
  if (dropped || cause !== 'unknown') {
    return new CliError(
      `the connection to Redis failed during the run: ${text}`,
      dropped
        ? 'the server went away mid-run (a restart, a failover, CLIENT KILL or a proxy timeout): check it, then run again'
        : `${hint}; then run again`,
      ExitCode.usage,
      { cause: err },
    );
  }
  // A reply error the table does not know (ERR, WRONGTYPE, NOPERM...): the server's word.
  if ((err as Error | undefined)?.name === 'ReplyError')
    return new CliError(
      `the server answered: ${text}`,
      'see the message; REDIS_OPS_DEBUG=1 shows where',
      ExitCode.usage,
      {
        cause: err,
      },
    );
  return undefined;
}

/** The subcommand the words name (`queues show`), for "did you mean" and help hints. */
function commandPath(program: Command, args: string[]): Command[] {
  const path = [program];
  for (const word of args) {
    if (word.startsWith('-')) continue;
    const cur = path[path.length - 1] as Command;
    const sub = cur.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    path.push(sub);
  }
  return path;
}

function fromCommander(err: CommanderErrorType, program: Command, args: string[]): CliError {
  const path = commandPath(program, args);
  const cmd = path[path.length - 1] as Command;
  const name = path.map((c) => c.name()).join(' ');
  const [first = '', ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join('\n'))?.[1];
  const help = `run ${name} --help for usage`;
  let message = first.replace(/\.$/, '');
  let hint = suggestion ? `did you mean ${suggestion}? (${help})` : help;
  if (err.code === 'commander.excessArguments' && cmd.commands.length > 0) {
    // `queues shwo email`: the parent takes no arguments, so commander counts them; the user
    // meant a subcommand.
    const own = args.slice(args.indexOf(cmd.name()) + 1).find((a) => !a.startsWith('-'));
    if (own !== undefined) {
      const names = cmd.commands.map((c) => c.name());
      const near = closest(own, names);
      message = `unknown command '${own}' for '${name}'`;
      hint = near ? `did you mean ${name} ${near}? (${help})` : `commands: ${names.join(', ')}`;
    }
  }
  if (
    err.code === 'commander.optionMissingArgument' &&
    /'--key <file>'/.test(first) &&
    cmd.name() === 'stats'
  )
    hint = `did you mean --keys? (--key <file> is the TLS client key, with --cert)`;
  return new CliError(message, hint, ExitCode.usage, { cause: err });
}
