import { describe, expect, it } from 'vitest';
import {
  checkClientBuffers,
  checkClusterNodes,
  checkCommands,
  checkErrors,
  checkFork,
  checkLatencyEvents,
  checkMemoryDoctor,
  checkNetwork,
  checkSaveAge,
} from '../../src/doctor/sre.js';
import { makeFacts } from '../helpers/doctor-facts.js';

describe('SRE checks (pure, from facts)', () => {
  it('latency.events: recorded events warn, none pass, monitor off skips with the setting', () => {
    expect(checkLatencyEvents(makeFacts()).status).toBe('pass');
    const f = makeFacts({
      latency: { events: [{ node: 'a', event: 'fork', latestMs: 120, maxMs: 300 }], unavailable: null },
    });
    expect(checkLatencyEvents(f)).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/fork max 300 ms/),
    });
    const off = makeFacts({ config: { values: { 'latency-monitor-threshold': '0' }, unavailable: null } });
    expect(checkLatencyEvents(off).message).toMatch(/latency-monitor-threshold 100/);
  });
  it('latency.fork: > 500 ms warns', () => {
    expect(checkFork(makeFacts({ infoOver: { latest_fork_usec: '900000' } })).status).toBe('warn');
    expect(checkFork(makeFacts({ infoOver: { latest_fork_usec: '2000' } })).status).toBe('pass');
  });
  it("mem.doctor: MEMORY DOCTOR's cases", () => {
    const big = { used_memory: String(100 * 2 ** 20) };
    expect(checkMemoryDoctor(makeFacts({ infoOver: big })).status).toBe('pass');
    expect(
      checkMemoryDoctor(makeFacts({ infoOver: { ...big, used_memory_peak: String(400 * 2 ** 20) } })).message,
    ).toMatch(/peak memory .* 4\.0× the current/);
    expect(
      checkMemoryDoctor(
        makeFacts({
          infoOver: { ...big, rss_overhead_ratio: '1.4', rss_overhead_bytes: String(40 * 2 ** 20) },
        }),
      ).message,
    ).toMatch(/RSS overhead 1\.4/);
    expect(
      checkMemoryDoctor(
        makeFacts({
          infoOver: { ...big, allocator_frag_ratio: '1.3', allocator_frag_bytes: String(30 * 2 ** 20) },
        }),
      ).message,
    ).toMatch(/allocator fragmentation 1\.3/);
  });
  it('clients.buffers: > 32 MB warns', () => {
    expect(
      checkClientBuffers(makeFacts({ infoOver: { client_recent_max_output_buffer: String(64 * 2 ** 20) } }))
        .status,
    ).toBe('warn');
    expect(checkClientBuffers(makeFacts({ infoOver: { client_recent_max_output_buffer: '0' } })).status).toBe(
      'pass',
    );
  });
  it('errors.rate: a rise during the window warns; totals are information', () => {
    const before = { errorstat_WRONGTYPE: 'count=5' };
    const after = { errorstat_WRONGTYPE: 'count=9' };
    expect(checkErrors(makeFacts({ errorWindow: { before, after, ms: 200 } })).message).toMatch(
      /WRONGTYPE \+4 \(20\/s\)/,
    );
    expect(
      checkErrors(makeFacts({ errorWindow: { before: after, after, ms: 200 }, infoOver: after })).status,
    ).toBe('pass');
  });
  it('persist.age: many unsaved changes for long warn where RDB is the persistence', () => {
    const now = Date.now() * 1000;
    const old = {
      rdb_changes_since_last_save: '50000',
      rdb_last_save_time: String(Math.floor(Date.now() / 1000) - 7200),
      server_time_usec: String(now),
    };
    expect(
      checkSaveAge(makeFacts({ infoOver: old, config: { values: { save: '3600 1' }, unavailable: null } }))
        .status,
    ).toBe('warn');
    expect(checkSaveAge(makeFacts({ infoOver: { ...old, aof_enabled: '1' } })).status).toBe('pass');
    expect(
      checkSaveAge(makeFacts({ infoOver: old, config: { values: { save: '' }, unavailable: null } })).status,
    ).toBe('pass');
  });
  it('cluster.nodes: pfail/fail fail, primaries without replica warn', () => {
    const nodes = (lines: string[]) => makeFacts({ isCluster: true, clusterNodes: lines.join('\n') });
    const m = (id: string, port: number, flags = 'master') =>
      `${id} 127.0.0.1:${port}@1${port} ${flags} - 0 0 1 connected 0-5460`;
    const s = (id: string, port: number, of: string) =>
      `${id} 127.0.0.1:${port}@1${port} slave ${of} 0 0 1 connected`;
    expect(checkClusterNodes(nodes([m('a', 7000), m('b', 7001)])).status).toBe('warn');
    expect(checkClusterNodes(nodes([m('a', 7000), s('c', 7002, 'a')])).status).toBe('pass');
    expect(checkClusterNodes(nodes([m('a', 7000), m('b', 7001, 'master,fail?')])).message).toMatch(
      /127\.0\.0\.1:7001 is suspected down \(pfail\)/,
    );
    expect(checkClusterNodes(nodes([m('a', 7000), m('b', 7001, 'master,fail')])).status).toBe('fail');
  });
  it('sec.network and sec.commands', () => {
    const open = makeFacts({
      config: { values: { bind: '0.0.0.0', 'protected-mode': 'no' }, unavailable: null },
    });
    expect(checkNetwork(open).message).toMatch(/protected-mode is off.*plaintext on a non-loopback/);
    expect(checkNetwork(makeFacts()).status).toBe('pass');
    expect(checkCommands(makeFacts({ username: 'app', dangerous: ['FLUSHALL', 'CONFIG SET'] })).status).toBe(
      'warn',
    );
    expect(checkCommands(makeFacts({ dangerous: ['FLUSHALL'] })).status).toBe('pass');
    expect(
      checkCommands(makeFacts({ config: { values: { 'enable-debug-command': 'yes' }, unavailable: null } }))
        .status,
    ).toBe('warn');
  });
});
