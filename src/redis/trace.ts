import type { Cluster, Redis } from 'ioredis';
import { redact } from './secrets.js';

/**
 * --verbose: every command we send, on stderr, as `→ SCAN 0 MATCH cache:* COUNT 1000`.
 * Credentials are masked (AUTH, HELLO … AUTH, MIGRATE … AUTH) and long commands are cut:
 * the point is to see what reaches the server, not to copy keys out of it.
 */
let on = false;

export function setTrace(enabled: boolean): void {
  on = enabled;
}

export function traceEnabled(): boolean {
  return on;
}

const secretAfter: Record<string, number> = { AUTH: 0, HELLO: 2 };

export function formatCommand(name: string, args: ReadonlyArray<unknown>): string {
  const upper = name.toUpperCase();
  const shown = args.slice(0, 12).map((a) => (Buffer.isBuffer(a) ? a.toString('utf8') : String(a)));
  const from = secretAfter[upper];
  if (from !== undefined) for (let i = from; i < shown.length; i++) shown[i] = '***';
  const more = args.length > 12 ? ` … (${args.length} arguments)` : '';
  const text = [upper, ...shown.map((s) => (s.length > 80 ? `${s.slice(0, 79)}…` : s))].join(' ');
  return redact(`→ ${text}${more}`);
}

export function traceLine(name: string, args: ReadonlyArray<unknown>): void {
  if (on) process.stderr.write(`${formatCommand(name, args)}\n`);
}

/** Wrap a client's sendCommand so each command is printed before it goes out. */
export function traceClient<T extends Redis | Cluster>(client: T): T {
  if (!on) return client;
  const send = client.sendCommand.bind(client) as (c: { name: string; args: unknown[] }) => unknown;
  (client as unknown as { sendCommand: typeof send }).sendCommand = (command) => {
    traceLine(command.name, command.args);
    return send(command);
  };
  return client;
}
