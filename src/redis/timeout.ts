/**
 * The bound for one network step (connect, a command, a pipeline round trip) unless --timeout
 * says otherwise. 5 s: long enough for a TLS handshake to a far region, short enough that CI
 * fails fast on a dead server.
 */
export const defaultTimeoutMs = 5000;

/** Every network step is bounded: race a promise against a timer that is always cleared. */
export class StepTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'StepTimeoutError';
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
