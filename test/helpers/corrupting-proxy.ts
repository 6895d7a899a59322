import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a real redis-server that answers chosen commands itself with bytes
 * that are not RESP (what a misconfigured proxy, a half-broken load balancer or another service
 * on the port sends). Everything else passes through untouched, so ioredis connects normally.
 */
export interface CorruptingProxy {
  port: number;
  /** Commands answered with garbage so far. */
  corrupted(): number;
  stop(): Promise<void>;
}

export async function startCorruptingProxy(
  upstreamPort: number,
  opts: { command: string; reply: Buffer },
): Promise<CorruptingProxy> {
  const marker = Buffer.from(`\r\n$${opts.command.length}\r\n${opts.command}\r\n`, 'latin1');
  const sockets = new Set<Socket>();
  let hits = 0;
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (chunk.indexOf(marker) >= 0) {
        hits++;
        client.write(opts.reply);
      } else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    corrupted: () => hits,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
