import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { byId, project } from '../helpers/doctor.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

/**
 * The queue gates fail closed: on a keyspace larger than the bounded probe's budget (100k
 * names), a queue may lie beyond what doctor saw, so a gate never passes on that view. Naming
 * the queues (--queues, `queues:` in redis-ops.yaml) gives a complete view at a small cost, and
 * a BullMQ worker connected for a queue left out of the list is a gap too (CLIENT LIST).
 */
let big: RedisServer;

beforeAll(async () => {
  big = await startRedis({ config: ['enable-debug-command yes'] });
  const admin = big.client();
  await admin.call('DEBUG', 'POPULATE', '250000', 'filler');
  const connection = { host: '127.0.0.1', port: big.port };
  const q = new Queue('mail', { connection });
  await q.add('send', {});
  await q.close();
}, 60_000);

afterAll(async () => {
  await big?.stop();
});

const gateIds = ['gate.maxFailedJobs', 'gate.maxWaitingAge'];

describe('queue gates on an incomplete view', () => {
  it('fail, saying what the probe read and how to name the queues', async () => {
    const { json, run } = await runJson([
      'doctor',
      '--url',
      big.url,
      '--use',
      'queue',
      '--max-failed-jobs',
      '0',
      '--max-waiting-age',
      '1h',
    ]);
    expect(run.exitCode).toBe(1);
    for (const id of gateIds) {
      const g = byId(json.checks, id);
      expect(g.status).toBe('fail');
      expect(g.message).toMatch(/the view is incomplete: the bounded probe read [\d,]+ of 250,00\d keys/);
      expect(g.hint).toMatch(/--queues email,reports .*queues: \[email, reports\] in redis-ops\.yaml/);
    }
  });

  it('--queues gives a complete view: the gates pass; a named queue that does not exist fails', async () => {
    const named = await runJson([
      'doctor',
      '--url',
      big.url,
      '--use',
      'queue',
      '--max-failed-jobs',
      '0',
      '--max-waiting-age',
      '1h',
      '--queues',
      'mail',
    ]);
    expect(byId(named.json.checks, 'gate.maxFailedJobs')).toMatchObject({
      status: 'pass',
      message: '0 failed jobs in 1 queue(s), maximum 0',
    });
    expect(byId(named.json.checks, 'gate.maxWaitingAge').status).toBe('pass');
    const typo = await runJson([
      'doctor',
      '--url',
      big.url,
      '--use',
      'queue',
      '--max-failed-jobs',
      '0',
      '--queues',
      'mail,mial',
    ]);
    const g = byId(typo.json.checks, 'gate.maxFailedJobs');
    expect(g.status).toBe('fail');
    expect(g.message).toMatch(
      /1 of 2 queue\(s\) could not be read.*bull:mial \(not found: no key bull:mial:meta/,
    );
  });

  it('redis-ops.yaml queues: works like --queues; a worker for an unnamed queue fails the gate', async () => {
    const connection = { host: '127.0.0.1', port: big.port };
    const worker = new Worker('reports', async () => 'done', { connection });
    await worker.waitUntilReady();
    try {
      const { json } = await runJson([
        'doctor',
        '--url',
        big.url,
        '--use',
        'queue',
        '--max-failed-jobs',
        '0',
        '--queues',
        'mail',
      ]);
      const g = byId(json.checks, 'gate.maxFailedJobs');
      expect(g.status).toBe('fail');
      expect(g.message).toMatch(
        /^0 failed jobs in 1 queue\(s\), maximum 0; but the view is incomplete: BullMQ workers are connected for queue\(s\) not named in the list: bull:reports \(CLIENT LIST\)$/,
      );
      const dir = project({ 'redis-ops.yaml': 'queues: [mail, reports]\n' });
      const both = await runJson([
        'doctor',
        '--url',
        big.url,
        '--use',
        'queue',
        '--max-failed-jobs',
        '0',
        '--config',
        join(dir, 'redis-ops.yaml'),
      ]);
      expect(byId(both.json.checks, 'gate.maxFailedJobs')).toMatchObject({
        status: 'pass',
        message: '0 failed jobs in 2 queue(s), maximum 0',
      });
    } finally {
      await worker.close();
    }
  });
});
