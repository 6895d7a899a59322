import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RespProtocolError } from '../../src/redis/resp-decode.js';
import { packKeys } from '../../src/redis/key-store.js';
import { encodeCommands, encodePacked, RespPipe } from '../../src/redis/resp-pipe.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('RESP encoding', () => {
  it('encodes binary arguments byte-exact', () => {
    expect(
      encodeCommands([
        ['TYPE', b('a\r\n\xff')],
        ['SCAN', 0, 'COUNT', 1000],
      ]).toString('latin1'),
    ).toBe(
      '*2\r\n$4\r\nTYPE\r\n$4\r\na\r\n\xff\r\n*4\r\n$4\r\nSCAN\r\n$1\r\n0\r\n$5\r\nCOUNT\r\n$4\r\n1000\r\n',
    );
  });
});

// A peer that is not Redis: it answers each write with the given bytes, in the given pieces.
let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function peer(answer: (socket: Socket) => void): Promise<number> {
  server = createServer((socket) => {
    socket.on('error', () => undefined); // the pipe may close first
    socket.once('data', () => answer(socket));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server?.address() as AddressInfo).port;
}

describe('RespPipe containment', () => {
  it('hands each batch its replies when they arrive split across chunks', async () => {
    const port = await peer((s) => {
      const wire = b('+PONG\r\n$3\r\nabc\r\n:7\r\n');
      for (let i = 0; i < wire.length; i++) setTimeout(() => s.write(wire.subarray(i, i + 1)), i);
    });
    const pipe = await RespPipe.open({ host: '127.0.0.1', port, timeoutMs: 2000 });
    try {
      const first = pipe.send([['PING'], ['GET', 'k']]);
      const second = pipe.send([['INCR', 'n']]);
      expect(await first).toEqual([b('PONG'), b('abc')]);
      expect(await second).toEqual([7]);
    } finally {
      pipe.close();
    }
  });

  it('rejects every waiting batch with a protocol error on a byte that is not RESP, and stays closed', async () => {
    const port = await peer((s) => s.write(b('+OK\r\n?what\r\n')));
    const pipe = await RespPipe.open({ host: '127.0.0.1', port, timeoutMs: 2000 });
    const first = pipe.send([['PING'], ['PING']]);
    const second = pipe.send([['PING']]);
    await expect(first).rejects.toBeInstanceOf(RespProtocolError);
    await expect(second).rejects.toThrow(/unknown reply type byte 0x3f/);
    await expect(pipe.send([['PING']])).rejects.toBeInstanceOf(RespProtocolError);
    pipe.close();
  });

  it('times out a peer that never answers', async () => {
    const port = await peer(() => undefined);
    const pipe = await RespPipe.open({ host: '127.0.0.1', port, timeoutMs: 100 });
    await expect(pipe.send([['PING']])).rejects.toThrow('reply timed out after 100 ms');
    pipe.close();
  });
});

describe('encodePacked', () => {
  it('writes RESP for a command over packed binary keys', () => {
    const pack = packKeys([Buffer.from('a b'), Buffer.alloc(0), Buffer.from([0xff, 0x0d, 0x0a])]);
    expect(encodePacked('UNLINK', pack.data, pack.lengths).toString('latin1')).toBe(
      '*4\r\n$6\r\nUNLINK\r\n$3\r\na b\r\n$0\r\n\r\n$3\r\n\xff\r\n\r\n',
    );
  });
});
