import { describe, expect, it } from 'vitest';
import { countWorkers, isWorkerOf, parseClientList, workersOf } from '../../src/queues/workers.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('client names', () => {
  it('parses CLIENT LIST and counts workers as BullMQ does (busiest node, not the sum)', () => {
    const list = [
      `id=1 addr=127.0.0.1:5000 laddr=x fd=8 name=bull:${b64('email')} age=12 idle=3 flags=N`,
      `id=2 addr=127.0.0.1:5001 fd=9 name=bull:${b64('email')}:w:holder age=5 idle=0 flags=N`,
      `id=3 addr=127.0.0.1:5002 fd=10 name=bull:${b64('email')}:qe age=5 idle=0 flags=N`,
      'id=4 addr=127.0.0.1:5003 fd=11 name= age=1 idle=1 flags=N',
    ].join('\n');
    const parsed = parseClientList(list);
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toEqual({
      name: `bull:${b64('email')}`,
      addr: '127.0.0.1:5000',
      ageSeconds: 12,
      idleSeconds: 3,
    });
    expect(isWorkerOf(parsed[2]?.name ?? '', 'bull', 'email')).toBe(false);
    const lists = { available: true, perNode: [parsed, parsed.slice(0, 1)] };
    expect(workersOf(lists, 'bull', 'email')).toHaveLength(2);
    expect(workersOf({ available: false, perNode: [] }, 'bull', 'email')).toBeNull();
    // The index for many queues gives the same counts, names with ':w:' in a prefix included.
    const tricky = parseClientList(
      [
        `id=5 addr=a fd=1 name=a:w:b:${b64('q')}:w:one age=1 idle=1`,
        `id=6 addr=a fd=1 name=a:w:b:${b64('q')} age=1 idle=1`,
        `id=7 addr=a fd=1 name=a:${b64('w')}:w:x age=1 idle=1`,
      ].join('\n'),
    );
    const many = { available: true, perNode: [[...parsed, ...tricky], parsed.slice(0, 1)] };
    const count = countWorkers(many);
    for (const [prefix, name] of [
      ['bull', 'email'],
      ['a:w:b', 'q'],
      ['a', 'w'],
      ['a', 'q'],
      ['bull', 'x'],
    ] as const)
      expect(count(prefix, name), `${prefix} ${name}`).toBe(workersOf(many, prefix, name)?.length);
    expect(countWorkers({ available: false, perNode: [] })('bull', 'email')).toBeNull();
  });
});
