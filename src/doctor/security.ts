import { isIP } from 'node:net';
import { isLoopback } from '../redis/provider.js';
import { forQueues, type Facts } from './facts.js';
import { fail, pass, skip, warn, type CheckResult } from './types.js';

/** Security and provider rules. */

const loopbackBind = (addr: string): boolean => {
  const a = addr.replace(/^-/, '');
  return a === '::1' || a === 'localhost' || (isIP(a) === 4 && a.startsWith('127.'));
};

export function checkAuth(facts: Facts): CheckResult {
  const id = 'sec.auth';
  if (facts.hasPassword) return pass(id, `the server asks for credentials (user ${facts.username})`);
  const hint =
    'set a password (requirepass, or an ACL user) and bind Redis to 127.0.0.1 or a private network';
  if (!isLoopback(facts.host) && facts.provider !== 'local') {
    return fail(
      id,
      `${facts.host} answers without a password on a non-loopback address: anyone who reaches it can read and delete everything`,
      hint,
    );
  }
  if (!isLoopback(facts.host)) {
    // A compose service name or a private host: still reachable by every container on that network.
    return warn(id, `${facts.host} answers without a password`, hint);
  }
  const bind = facts.config.values.bind;
  if (bind === undefined)
    return skip(
      id,
      `no password, and where the server listens is unknown: ${facts.config.unavailable ?? 'CONFIG GET bind gave no answer'}`,
    );
  const addrs = bind.split(/\s+/).filter(Boolean);
  const open = addrs.length === 0 ? ['*'] : addrs.filter((a) => !loopbackBind(a));
  if (open.length)
    return fail(
      id,
      `no password, and the server listens on ${open.join(', ')} (not only loopback): reachable without a password from the network`,
      hint,
    );
  return pass(id, `no password, but the server listens on loopback only (${addrs.join(' ')})`);
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
