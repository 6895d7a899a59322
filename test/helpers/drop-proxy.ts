import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server that cuts every connection after the server has sent
 * `afterChunks` chunks: Redis "going away" mid-run, deterministically (a restart or a failover
 * cannot be timed to a command).
 */
export async function startDropProxy(
  upstreamPort: number,
  afterChunks: number,
): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const up = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(up);
    let chunks = 0;
    client.on('data', (d) => up.write(d));
    up.on('data', (d) => {
      chunks++;
      if (chunks > afterChunks) {
        client.destroy();
        up.destroy();
        return;
      }
      client.write(d);
    });
    for (const s of [client, up]) s.on('error', () => undefined);
    client.on('close', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
