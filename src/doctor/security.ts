import { isIP } from 'node:net';
import { isLoopback } from '../redis/provider.js';
import { forQueues, type Facts } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/** Security and provider rules. */

const loopbackBind = (addr: string): boolean => {
  const a = addr.replace(/^-/, '');
  return a === '::1' || a === 'localhost' || (isIP(a) === 4 && a.startsWith('127.'));
};

/** Where the server listens, from CONFIG GET bind; null when unknown. */
function exposure(facts: Facts): { open: string[]; all: string[] } | null {
  const bind = facts.config.values.bind;
  if (bind === undefined) return null;
  const all = bind.split(/\s+/).filter(Boolean);
  return { all, open: all.length === 0 ? ['*'] : all.filter((a) => !loopbackBind(a)) };
}

/**
 * sec.auth decides from the server, never from the client's password: a `nopass` user accepts
 * any password, so "our password was accepted" proves nothing (Redis ACL docs, `nopass`: "any
 * password will work"; seen on redis-server 7.0.15 with AUTH and HELLO 3 AUTH). A second
 * connection that sends no credentials tells: PONG means open to anyone who reaches the port.
 */
export function checkAuth(facts: Facts): CheckResult {
  const id = 'sec.auth';
  const hint =
    'set a password (requirepass, or ACL users with passwords and default off) and bind Redis to 127.0.0.1 or a private network';
  const probe = facts.unauthPing;
  const reply = probe.reply ?? '';
  if (probe.reply === null)
    return skip(
      id,
      `could not tell whether the server needs a password: the unauthenticated probe failed (${probe.error ?? 'unknown'})`,
    );
  if (/^-DENIED/.test(reply))
    return warn(
      id,
      'the server has no password: only protected mode refuses clients from other hosts (DENIED)',
      hint,
    );
  const given = facts.hasPassword
    ? ' (the password doctor was given is not needed: the default user is nopass, which accepts any password)'
    : '';
  if (reply === '+PONG') {
    const where = exposure(facts);
    if (!isLoopback(facts.host))
      return fail(
        id,
        `${facts.host} answers without a password${given}: anyone who reaches it can read and delete everything`,
        hint,
      );
    if (!where)
      return warn(
        id,
        `the server answers without a password${given}, and where it listens is unknown: ${facts.config.unavailable ?? 'CONFIG GET bind gave no answer'}`,
        hint,
      );
    if (where.open.length)
      return fail(
        id,
        `the server answers without a password${given} and listens on ${where.open.join(', ')} (not only loopback): reachable without a password from the network`,
        hint,
      );
    return pass(id, `no password${given}, but the server listens on loopback only (${where.all.join(' ')})`);
  }
  if (!/^-(NOAUTH|ERR.*auth)/i.test(reply))
    return skip(id, `the unauthenticated probe got an unexpected reply: ${reply.slice(0, 80)}`);
  // The server refuses unauthenticated clients; a nopass user still lets anyone in by name.
  const users = facts.acl.users;
  if (!users)
    return pass(
      id,
      `the server refuses clients without credentials (NOAUTH); other users could not be listed: ${facts.acl.unavailable ?? 'unknown'}`,
    );
  const nopass = users.filter((u) => u.enabled && u.nopass);
  const mine = nopass.find((u) => u.name === facts.username);
  if (mine)
    return fail(
      id,
      `user ${mine.name} is nopass: any password logs in as ${mine.name}, so the password in the URL protects nothing`,
      `give ${mine.name} a password: ACL SETUSER ${mine.name} resetpass >password (and in the ACL file)`,
    );
  if (nopass.length)
    return warn(
      id,
      `the server refuses clients without credentials, but ${nopass.length === 1 ? 'user' : 'users'} ${nopass.map((u) => u.name).join(', ')} ${nopass.length === 1 ? 'is' : 'are'} nopass: anyone who knows the name logs in with any password`,
      `give them a password or turn them off: ACL SETUSER <name> resetpass >password | off`,
    );
  return pass(id, `the server refuses clients without credentials (NOAUTH); no enabled user is nopass`);
}

/** Rules that depend on the provider and the use (the providers' docs: Upstash and ElastiCache serverless are TLS-only). */
export function checkProviderFit(facts: Facts): CheckResult {
  const id = 'provider.fit';
  const queues = forQueues(facts.use);
  if (facts.provider === 'upstash' && queues) {
    return warn(
      id,
      'Upstash bills every command, and BullMQ workers poll Redis even when the queues are idle',
      'use an Upstash fixed (not pay-as-you-go) plan for queue workloads, or a plain Redis',
    );
  }
  if (facts.provider === 'elasticache-serverless' && queues) {
    return fail(
      id,
      'ElastiCache Serverless is a poor fit for BullMQ: fixed volatile-lru eviction, and every queue must use a {hash tag} prefix',
      'use a node-based ElastiCache cluster with a custom parameter group (maxmemory-policy noeviction)',
    );
  }
  if ((facts.provider === 'elasticache' || facts.provider === 'memorydb') && facts.config.unavailable) {
    return pass(id, `${facts.provider}: CONFIG is blocked, settings were read from INFO`);
  }
  return pass(id, `no provider-specific concern for ${facts.provider} and ${facts.use} use`);
}
