import { createServer } from 'node:net';

const used = new Set<number>();

/** A free TCP port on 127.0.0.1 (never 6379: the machine's own Redis lives there). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    // Cluster bus ports are port + 10000: keep room for them.
    if (port !== 6379 && port < 55000 && !used.has(port)) {
      used.add(port);
      return port;
    }
  }
}
