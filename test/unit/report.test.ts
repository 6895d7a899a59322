import { describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/program.js';

describe('the error path', () => {
  it('an internal error is a bug report with exit 70, never 1 or 2', async () => {
    const { reportError } = await import('../../src/report.js');
    const out: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    try {
      const code = reportError(
        new TypeError("Cannot read properties of undefined (reading 'x')"),
        await buildProgram(),
        [],
        {},
      );
      expect(code).toBe(70);
    } finally {
      spy.mockRestore();
    }
    expect(out[0]).toMatch(/^✖ internal error: Cannot read properties of undefined/);
    expect(out[1]).toMatch(/^ {2}hint: this is a bug in redis-ops.*please file an issue/);
    expect(out.join('')).toMatch(/\n\s+at /);
  });
});
