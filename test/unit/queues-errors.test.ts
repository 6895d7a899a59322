import { describe, expect, it } from 'vitest';
import { toQueuesError } from '../../src/commands/queues/errors.js';
import { CliError } from '../../src/errors.js';
import { StepTimeoutError } from '../../src/redis/timeout.js';

describe('server-caused errors mid-command become one line with a hint', () => {
  it.each([
    [
      new StepTimeoutError('pipeline', 5000),
      /^reading x failed: ETIMEDOUT: pipeline timed out after 5000 ms$/,
      /^the server stopped answering mid-read .*--timeout$/,
    ],
    [
      new StepTimeoutError('reply', 800),
      /^reading x failed: ETIMEDOUT: reply timed out after 800 ms$/,
      /^the server stopped answering mid-read/,
    ],
    [
      new StepTimeoutError('connect', 800),
      /^reading x failed: ETIMEDOUT: connect timed out/,
      /no answer in time/,
    ],
    [new Error('Command timed out'), /^reading x failed: Command timed out$/, /no answer in time/],
    [
      new Error('Connection is closed.'),
      /^reading x failed: Connection is closed\.$/,
      /closed the connection/,
    ],
    [
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      /ECONNRESET/,
      /closed the connection/,
    ],
  ])('%s', (err, message, hint) => {
    const out = toQueuesError(err, 'reading x');
    expect(out).toBeInstanceOf(CliError);
    expect((out as CliError).message).toMatch(message);
    expect((out as CliError).hint).toMatch(hint);
    expect((out as CliError).exitCode).toBe(2);
  });

  it('a bug keeps its stack', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(toQueuesError(bug, 'reading x')).toBe(bug);
  });
});
