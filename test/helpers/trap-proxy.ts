import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server that springs a trap the first time a client sends a
 * chosen command: the test then freezes the server (SIGSTOP), changes an ACL, or has the proxy
 * cut the connection, exactly while the CLI is in the middle of that step (a restart or a
 * DEBUG SLEEP from outside cannot be timed to a command). Everything else passes untouched.
 */
export type TrapAction = 'forward' | 'drop';

export interface TrapProxy {
  port: number;
  /** Times the trap fired (0 or 1). */
  fired(): number;
  stop(): Promise<void>;
}

export async function startTrapProxy(
  upstreamPort: number,
  /** `after`: let this many sends of the command pass before the trap springs (default 0). */
  opts: { command: string; after?: number; spring: () => Promise<TrapAction> | TrapAction },
): Promise<TrapProxy> {
  // The command's name as RESP sends it, `$4\r\nEVAL\r\n`, in either case (ioredis sends
  // BullMQ's scripts as `evalsha`).
  const markers = [opts.command.toUpperCase(), opts.command.toLowerCase()].map((c) =>
    Buffer.from(`\r\n$${c.length}\r\n${c}\r\n`, 'latin1'),
  );
  const sockets = new Set<Socket>();
  let fired = 0;
  let seen = 0;
  const server = createServer((client) => {
    const up = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(up);
    for (const s of [client, up]) s.on('error', () => undefined);
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
    up.on('data', (d) => client.write(d));
    client.on('data', (d: Buffer) => {
      if (fired > 0 || !markers.some((m) => d.indexOf(m) >= 0) || seen++ < (opts.after ?? 0)) {
        up.write(d);
        return;
      }
      fired++;
      // Hold this client's bytes (order kept) until the test has sprung the trap.
      client.pause();
      void Promise.resolve(opts.spring()).then((action) => {
        if (action === 'drop') {
          client.destroy();
          up.destroy();
          return;
        }
        up.write(d);
        client.resume();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    fired: () => fired,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
