import { describe, expect, it } from 'vitest';
import { detectProvider, providerNeedsTls } from '../../src/redis/provider.js';

describe('detectProvider', () => {
  it.each([
    ['localhost', 'local'],
    ['127.0.0.1', 'local'],
    ['redis', 'local'],
    ['eu1-sharp-fox-12345.upstash.io', 'upstash'],
    ['master.my-cache.abc123.use1.cache.amazonaws.com', 'elasticache'],
    ['my-cache-abc123.serverless.use1.cache.amazonaws.com', 'elasticache-serverless'],
    ['clustercfg.my-db.abc123.memorydb.us-east-1.amazonaws.com', 'memorydb'],
    ['redis-12345.c1.us-east-1-2.ec2.redns.redis-cloud.com', 'redis-cloud'],
    ['my.redis.cache.windows.net', 'azure'],
    ['redis.internal.example.com', 'generic'],
  ])('%s → %s', (host, provider) => {
    expect(detectProvider(host)).toBe(provider);
  });
  it('falls back to INFO fingerprints', () => {
    expect(detectProvider('10.1.2.3', { os: 'Amazon ElastiCache' })).toBe('elasticache');
    expect(detectProvider('10.1.2.3', { upstash_version: '1.0' })).toBe('upstash');
  });
  it('knows who needs TLS', () => {
    expect(providerNeedsTls('upstash', 'eu1-x.upstash.io')).toBe(true);
    expect(providerNeedsTls('upstash', 'fly-x.upstash.io')).toBe(false);
    expect(providerNeedsTls('elasticache-serverless', 'x')).toBe(true);
    expect(providerNeedsTls('local', 'x')).toBe(false);
  });
});
