import { createRequire } from 'node:module';

/**
 * commander through require(): it is CommonJS, and importing it as ESM makes Node run its
 * export lexer over the source on every start, a measurable share of `redis-ops --help`.
 */
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

export const { Command, CommanderError, Option } = commander;
