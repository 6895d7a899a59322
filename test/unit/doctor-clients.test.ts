import { describe, expect, it } from 'vitest';
import { checkHeadroom, checkRejected, checkSlowlog } from '../../src/doctor/clients.js';
import { makeFacts } from '../helpers/doctor-facts.js';

describe('clients, security, latency', () => {
  it('clients.headroom and clients.rejected', () => {
    expect(
      checkHeadroom(makeFacts({ infoOver: { connected_clients: '90', maxclients: '100' } })).status,
    ).toBe('warn');
    expect(checkHeadroom(makeFacts()).status).toBe('pass');
    expect(checkRejected(makeFacts({ infoOver: { rejected_connections: '2' } })).status).toBe('warn');
    expect(checkRejected(makeFacts()).status).toBe('pass');
  });
  it('latency.slowlog names the top commands; SLOWLOG unavailable skips', () => {
    const r = checkSlowlog(
      makeFacts({
        slowlog: {
          entries: [
            { durationUs: 20000, command: 'KEYS' },
            { durationUs: 15000, command: 'KEYS' },
            { durationUs: 12000, command: 'HGETALL' },
          ],
          own: 4,
          old: 0,
          unavailable: null,
        },
      }),
    );
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(
      /3 slow log entries slower than 10000 µs in the last hour \(slowest 20\.0 ms\): KEYS ×2, HGETALL ×1 \(left out: 4 of doctor's own\)/,
    );
    expect(
      checkSlowlog(
        makeFacts({ slowlog: { entries: [], own: 0, old: 0, unavailable: 'SLOWLOG is not available: x' } }),
      ).status,
    ).toBe('skip');
  });
});
