/**
 * Errors that redis-ops knows how to explain. Anything else is a bug and prints its stack.
 * The exit-code contract lives here so every command shares it.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** A bug in redis-ops (EX_SOFTWARE in sysexits.h): a report to file, never 1. */
  internal: 70,
  cancelled: 130,
} as const;

export class CliError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, hint?: string, exitCode: number = ExitCode.usage, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** The user cancelled (Ctrl-C at a prompt or during work). */
export class CancelledError extends CliError {
  constructor(message = 'cancelled') {
    super(message, undefined, ExitCode.cancelled);
    this.name = 'CancelledError';
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, hint, ExitCode.usage);
}
