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

/**
 * What a failure prints on stdout under --json (or doctor's --format json), so a pipeline can
 * parse it: the text stays on stderr. `hint` is null when there is none. README "Exit codes".
 */
export interface ErrorJson {
  error: {
    message: string;
    hint: string | null;
    /** The process's exit code: 2 usage/config/connection, 70 a bug, 130 cancelled. */
    exitCode: number;
  };
}

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
