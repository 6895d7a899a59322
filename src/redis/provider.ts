import { isIP } from 'node:net';
import type { InfoRecord } from './info.js';

export type Provider =
  | 'local'
  | 'upstash'
  | 'elasticache'
  | 'elasticache-serverless'
  | 'memorydb'
  | 'redis-cloud'
  | 'azure'
  | 'generic';

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Provider from the host name alone (the endpoint names in the providers' docs: *.upstash.io, *.cache.amazonaws.com, ...); undefined when the name says nothing. */
export function providerFromHost(host: string): Provider | undefined {
  const h = host.toLowerCase();
  if (/\.upstash\.io$/.test(h)) return 'upstash';
  if (/\.memorydb\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(h)) return 'memorydb';
  if (/\.serverless\.[a-z0-9.-]*cache\.amazonaws\.com(\.cn)?$/.test(h)) return 'elasticache-serverless';
  if (/\.cache\.amazonaws\.com(\.cn)?$/.test(h)) return 'elasticache';
  if (/\.redns\.redis-cloud\.com$|\.redislabs\.com$|\.redis-cloud\.com$/.test(h)) return 'redis-cloud';
  if (/\.redis\.cache\.windows\.net$|\.redis\.azure\.net$/.test(h)) return 'azure';
  if (isLoopback(h)) return 'local';
  // A single-label name is a compose service or /etc/hosts entry: a local development server.
  if (!h.includes('.') && isIP(h) === 0) return 'local';
  return undefined;
}

/** Host name first, then what INFO gives away, then generic. */
export function detectProvider(host: string, info?: InfoRecord): Provider {
  const fromHost = providerFromHost(host);
  if (fromHost) return fromHost;
  if (info) {
    if (info.upstash_version !== undefined) return 'upstash';
    if (/Amazon ElastiCache/i.test(info.os ?? '')) return 'elasticache';
  }
  return 'generic';
}

/** Providers that only accept TLS connections. */
export function providerNeedsTls(provider: Provider, host: string): boolean {
  if (provider === 'upstash') return !/^fly-/.test(host);
  return provider === 'elasticache-serverless' || provider === 'memorydb';
}
