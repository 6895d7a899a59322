import { createRequire } from 'node:module';

/**
 * ioredis through require(), as commander is (src/commander.ts): it is CommonJS, and importing
 * it as ESM makes Node run its export lexer and translator over it on every start. Measured on
 * an empty `flush` (2026-12-02, 20 interleaved runs): 268 ms mean with the ESM import, 237 ms
 * with require(), the same as an esbuild bundle of the whole CLI.
 */
const ioredis = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');

export const { Redis, Cluster } = ioredis;
export type Redis = import('ioredis').Redis;
export type Cluster = import('ioredis').Cluster;
