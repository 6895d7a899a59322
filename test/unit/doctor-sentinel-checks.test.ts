import { describe, expect, it } from 'vitest';
import {
  checkAnnounce,
  checkMaster,
  checkQuorum,
  checkReach,
  checkReplicas,
  type PrimaryProbe,
  type SentinelFacts,
} from '../../src/doctor/sentinel-checks.js';
import type { Target } from '../../src/redis/target.js';

const master = (flags = 'master', others = 2, quorum = 2): Record<string, string> => ({
  name: 'mymaster',
  flags,
  quorum: String(quorum),
  'num-other-sentinels': String(others),
});
const ok = (address: string, primary = '10.0.0.5:6379', m = master()): SentinelFacts => ({
  address,
  reached: true,
  mode: 'sentinel',
  primary,
  master: m,
  ckquorum: { ok: true, message: 'OK 3 usable Sentinels' },
  replicas: [],
});
const probe = (p: Partial<PrimaryProbe>): PrimaryProbe => ({
  address: '10.0.0.5:6379',
  target: {} as Target,
  reached: true,
  info: { role: 'master', connected_slaves: '0' },
  ...p,
});

describe('sentinel checks (pure)', () => {
  it('reach: a data node in the list fails; an unreachable sentinel warns; none answering fails', () => {
    const data: SentinelFacts = { address: 'h:6379', reached: true, mode: 'standalone' };
    expect(checkReach([ok('a:1'), data])).toMatchObject({
      status: 'fail',
      message: 'not a sentinel: h:6379 (redis_mode:standalone)',
    });
    const down: SentinelFacts = { address: 'b:2', reached: false, error: 'connect ECONNREFUSED' };
    expect(checkReach([ok('a:1'), down])).toMatchObject({
      status: 'warn',
      message: '1 of 2 sentinels answer; unreachable: b:2: connect ECONNREFUSED',
    });
    expect(
      checkReach([{ address: 'b:2', reached: false, error: 'NOAUTH Authentication required.' }]).hint,
    ).toContain('sentinelPassword');
  });

  it('master: agreement passes, a split view names who says what, an unknown name lists the monitored ones', () => {
    expect(checkMaster([ok('a:1'), ok('b:2')], 'mymaster')).toMatchObject({
      primary: '10.0.0.5:6379',
      check: { status: 'pass' },
    });
    const split = checkMaster([ok('a:1'), ok('b:2'), ok('c:3', '10.0.0.9:6379')], 'mymaster');
    expect(split.primary).toBeNull();
    expect(split.check.message).toBe(
      'split view of "mymaster": a:1, b:2 say 10.0.0.5:6379; c:3 says 10.0.0.9:6379',
    );
    const unknown: SentinelFacts = {
      address: 'c:3',
      reached: true,
      mode: 'sentinel',
      primary: null,
      knownMasters: ['other'],
    };
    expect(checkMaster([ok('a:1'), unknown], 'mymaster').check.message).toBe(
      'c:3 does not monitor "mymaster" (monitored: other); the others name 10.0.0.5:6379',
    );
  });

  it('quorum: o_down and NOQUORUM fail; fewer than 3 sentinels, s_down and a failover warn', () => {
    expect(checkQuorum([ok('a:1', undefined, master('master,o_down'))]).status).toBe('fail');
    const noq = ok('a:1');
    noq.ckquorum = { ok: false, message: 'NOQUORUM 1 usable Sentinels.' };
    expect(checkQuorum([noq]).message).toBe('CKQUORUM fails on a:1: NOQUORUM 1 usable Sentinels.');
    expect(checkQuorum([ok('a:1', undefined, master('master', 1))]).message).toContain(
      'only 2 sentinels: losing one leaves no majority to fail over',
    );
    expect(checkQuorum([ok('a:1', undefined, master('master,s_down'))]).message).toContain('(s_down)');
    expect(checkQuorum([ok('a:1', undefined, master('master,failover_in_progress'))]).message).toContain(
      'a failover is in progress',
    );
    expect(checkQuorum([ok('a:1'), ok('b:2'), ok('c:3')])).toMatchObject({
      status: 'pass',
      message: 'quorum 2 of 3 sentinels, CKQUORUM OK',
    });
  });

  it('announce: a container address the sentinels reach but we cannot gets the announce hint', () => {
    const c = checkAnnounce(
      probe({ address: '172.18.0.3:6379', reached: false, error: 'connect ETIMEDOUT' }),
      [ok('a:1')],
    );
    expect(c.status).toBe('fail');
    expect(c.message).toContain('(the sentinels themselves reach it)');
    expect(c.hint).toContain('sentinel announce-ip');
    expect(checkAnnounce(probe({ info: { role: 'slave' } }), [ok('a:1')]).message).toContain(
      'answers as slave',
    );
  });

  it('replicas: lag, a down replica and a count that differs from INFO warn', () => {
    const f = ok('a:1');
    f.replicas = [
      { ip: '10.0.0.6', port: '6379', flags: 'slave', 'master-link-status': 'ok' },
      { ip: '10.0.0.7', port: '6379', flags: 'slave,s_down', 'master-link-status': 'err' },
    ];
    const info = {
      role: 'master',
      connected_slaves: '1',
      slave0: 'ip=10.0.0.6,port=6379,state=online,offset=10,lag=12',
    };
    const r = checkReplicas([f], probe({ info }));
    expect(r.check.status).toBe('warn');
    expect(r.check.message).toBe(
      '2 replica(s); down: 10.0.0.7:6379 (slave,s_down); lagging: 10.0.0.6:6379 12 s',
    );
    expect(r.list[0]).toEqual({ address: '10.0.0.6:6379', flags: 'slave', link: 'ok', lagSeconds: 12 });
    f.replicas = [];
    expect(checkReplicas([f], probe({})).check.message).toContain('nowhere to go');
  });
});
