import type { Redis } from 'ioredis';
import { RespPipe } from './resp-pipe.js';

/**
 * Raw pipes by node address ("host:port"), opened on first use with the credentials, TLS and
 * db of a template client: a cluster's MOVED or ASK names a node we may not have a pipe to yet.
 */
export class PipePool {
  private readonly pipes = new Map<string, Promise<RespPipe>>();

  constructor(
    private readonly template: Redis,
    private readonly timeoutMs: number,
  ) {}

  get(address: string): Promise<RespPipe> {
    let pipe = this.pipes.get(address);
    if (!pipe) {
      const { host, port } = splitAddress(address);
      const o = this.template.options;
      pipe = RespPipe.open({
        host,
        port,
        username: o.username ?? undefined,
        password: o.password ?? undefined,
        db: o.db ?? 0,
        tls: o.tls ? { ...o.tls } : undefined,
        timeoutMs: this.timeoutMs,
      });
      // A failed open is retried by the next get, and never an unhandled rejection.
      pipe.catch(() => this.pipes.delete(address));
      this.pipes.set(address, pipe);
    }
    return pipe;
  }

  closeAll(): void {
    for (const p of this.pipes.values())
      void p.then(
        (pipe) => pipe.close(),
        () => undefined,
      );
    this.pipes.clear();
  }
}

export function nodeAddress(node: Redis): string {
  return `${node.options.host ?? '127.0.0.1'}:${node.options.port ?? 6379}`;
}

/** "host:port", "[::1]:port" or "::1:port" → parts. */
export function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(at + 1)) };
}
