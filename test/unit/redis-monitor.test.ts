import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MonitorParser, parseMonitorLine, type MonitorEntry } from '../../src/redis/monitor.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/hits/${name}`, import.meta.url));
const sent = (JSON.parse(fixture('monitor-7.0.15.json').toString()) as string[][]).map((args) =>
  args.map((a) => Buffer.from(a, 'base64')),
);
const wire = fixture('monitor-7.0.15.txt');

function parseAll(chunks: Buffer[]): MonitorEntry[] {
  const out: MonitorEntry[] = [];
  const p = new MonitorParser((e) => out.push({ ...e, args: e.args.map((a) => Buffer.from(a)) }));
  for (const c of chunks) p.push(c);
  return out;
}

describe('MONITOR line parser', () => {
  it('decodes what a real server wrote back to the exact bytes sent (escapes, binary, UTF-8)', () => {
    const entries = parseAll([wire]);
    expect(entries.map((e) => e.args)).toEqual(sent);
    expect(entries[0]).toMatchObject({ db: 0 });
    expect(entries[0]?.source).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('gives the same entries whatever the chunk boundaries (every split point, and byte by byte)', () => {
    const whole = parseAll([wire]);
    for (let i = 1; i < wire.length; i += 7)
      expect(parseAll([wire.subarray(0, i), wire.subarray(i)])).toEqual(whole);
    expect(parseAll([...wire].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it.each([
    ['\\"\\\\', '"\\'],
    ['\\n\\r\\t\\a\\b', '\n\r\t\x07\x08'],
    ['\\x00\\xff\\xC3\\xa9', '\x00\xff\xc3\xa9'],
    ['', ''],
  ])('unescapes %s', (escaped, raw) => {
    const e = parseMonitorLine(Buffer.from(`1.0 [3 lua] "GET" "${escaped}"`, 'latin1'));
    expect(e?.db).toBe(3);
    expect(e?.source).toBe('lua');
    expect(e?.args[1]).toEqual(Buffer.from(raw, 'latin1'));
  });

  it('reads unix-socket sources and skips the +OK and non-command lines', () => {
    const out = parseAll([Buffer.from('+OK\r\n+1.5 [0 unix:/tmp/r.sock] "PING"\r\n+junk\r\n')]);
    expect(out).toHaveLength(1);
    expect(out[0]?.source).toBe('unix:/tmp/r.sock');
  });

  it('hands error replies to the error callback', () => {
    const errors: string[] = [];
    const p = new MonitorParser(
      () => undefined,
      (m) => errors.push(m),
    );
    p.push(Buffer.from('-ERR max number of clients reached\r\n'));
    expect(errors).toEqual(['ERR max number of clients reached']);
  });
});
