import { describe, expect, it } from 'vitest';
import { parseComposePs } from '../../src/scaffold/up.js';

describe('parseComposePs', () => {
  it('reads NDJSON (Compose ≥ 2.21) and a JSON array (older)', () => {
    const row = { Service: 'redis', State: 'running', Health: 'healthy' };
    expect(
      parseComposePs(`${JSON.stringify(row)}\n${JSON.stringify({ ...row, Service: 'x' })}\n`),
    ).toHaveLength(2);
    expect(parseComposePs(JSON.stringify([row]))).toEqual([row]);
    expect(parseComposePs('')).toEqual([]);
  });
});
