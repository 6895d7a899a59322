import { describe, expect, it } from 'vitest';
import { checkPersistQueue, checkPersistStatus, checkReplication } from '../../src/doctor/persistence.js';
import { makeFacts } from '../helpers/doctor-facts.js';

describe('persistence and replication', () => {
  it('persist.status: any status other than ok fails; no persistence section skips', () => {
    expect(checkPersistStatus(makeFacts()).status).toBe('pass');
    const r = checkPersistStatus(makeFacts({ infoOver: { rdb_last_bgsave_status: 'err' } }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('rdb_last_bgsave_status:err');
    const up = makeFacts();
    for (const k of ['rdb_last_bgsave_status', 'aof_last_write_status', 'aof_last_bgrewrite_status'])
      delete up.info[k];
    expect(checkPersistStatus(up).status).toBe('skip');
  });
  it('persist.queue: queue without AOF warns; AOF everysec passes; cache skips', () => {
    expect(checkPersistQueue(makeFacts({ use: 'queue' })).status).toBe('warn');
    expect(checkPersistQueue(makeFacts({ use: 'queue', infoOver: { aof_enabled: '1' } })).status).toBe(
      'pass',
    );
    expect(checkPersistQueue(makeFacts()).status).toBe('skip');
  });
  it('repl.link: link down fails, lag > 10 s warns, no replicas skips', () => {
    expect(
      checkReplication(
        makeFacts({
          infoOver: {
            role: 'slave',
            master_host: '10.0.0.1',
            master_port: '6379',
            master_link_status: 'down',
          },
        }),
      ).status,
    ).toBe('fail');
    expect(
      checkReplication(
        makeFacts({
          infoOver: { role: 'slave', master_link_status: 'up', master_last_io_seconds_ago: '30' },
        }),
      ).status,
    ).toBe('warn');
    expect(checkReplication(makeFacts()).status).toBe('skip');
    expect(
      checkReplication(
        makeFacts({ infoOver: { slave0: 'ip=10.0.0.2,port=6379,state=online,offset=1,lag=0' } }),
      ).status,
    ).toBe('pass');
    expect(
      checkReplication(
        makeFacts({ infoOver: { slave0: 'ip=10.0.0.2,port=6379,state=online,offset=1,lag=20' } }),
      ).status,
    ).toBe('warn');
  });
});
