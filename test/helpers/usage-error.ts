import { expect } from 'vitest';
import { CliError } from '../../src/errors.js';

/**
 * The one shape of a mistake a person can make (src/options.ts, src/report.ts): a CliError with
 * exit 2 and a hint. Returns it for the test's own message checks.
 */
export function expectUsageError(err: unknown): CliError {
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exitCode).toBe(2);
  expect((err as CliError).hint).toBeTruthy();
  return err as CliError;
}

/** `fn` fails with a usage error (expectUsageError). */
export function usage(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    return expectUsageError(err);
  }
  throw new Error('expected a usage error');
}
