import { uses, type Use } from '../doctor/facts.js';
import { usageError } from '../errors.js';
import { parseChoice } from '../options.js';

/**
 * What init writes, decided before any file is read: flags (or answers) checked and turned
 * into one plan per service. Every bad value is a usage error here, before anything is touched.
 */
export const providerChoices = ['local', 'upstash', 'elasticache'] as const;
export const profiles = ['dev', 'prod'] as const;
export type ProviderChoice = (typeof providerChoices)[number];
export type Profile = (typeof profiles)[number];

/** Pinned to a minor so a rebuild never jumps versions (tags of the official image, hub.docker.com/_/redis). */
export const defaultImage = 'redis:8.2-alpine';
export const valkeyImage = 'valkey/valkey:8-alpine';

export interface InitAnswers {
  provider?: string;
  withLocal?: boolean;
  use?: string;
  profile?: string;
  service?: string;
  /** An existing Redis service to harden in place (its name becomes the service name). */
  adopt?: string;
  port?: string | number;
  image?: string;
  maxmemory?: string;
  password?: boolean;
  compose?: string;
  envFile?: string;
}

export interface ServicePlan {
  name: string;
  role: 'cache' | 'queue';
  hostPort: number;
  /** The .env variables this service reads: its port and its URL. */
  portVar: string;
  urlVar: string;
  /** Config file, relative to the project directory. */
  confPath: string;
  maxmemory: string;
  policy: 'allkeys-lru' | 'noeviction';
  appendonly: boolean;
  save: string;
}

export interface InitSettings {
  provider: ProviderChoice;
  use: Use;
  profile: Profile;
  withLocal: boolean;
  image: string;
  engine: 'redis' | 'valkey';
  password: boolean;
  /** Empty when the provider is remote and --with-local is off. */
  services: ServicePlan[];
  compose?: string;
  envFile: string;
}

const profileMemory: Record<Profile, string> = { dev: '256mb', prod: '1gb' };
// Prod keeps RDB snapshots (a warm restart for caches, a second copy next to the AOF for queues).
const profileSave: Record<Profile, string> = { dev: '""', prod: '3600 1 300 100 60 10000' };

/** A choice flag, through the options layer: `invalid --use: x` and a did-you-mean, as everywhere. */
function checkChoice<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  return parseChoice(value, flag, allowed) ?? fallback;
}

export function parsePort(value: string | number | undefined, fallback = 6379, flag = '--port'): number {
  if (value === undefined) return fallback;
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535)
    throw usageError(`invalid ${flag}: ${value}`, `a port is a number from 1 to 65535, e.g. ${flag} 6380`);
  return n;
}

/** Redis size syntax: 256mb, 1gb, 100000 (bytes). Normalised to lower case. */
export function parseSize(value: string): string {
  const text = value.trim().toLowerCase();
  if (!/^[1-9]\d*(b|k|kb|m|mb|g|gb)?$/.test(text))
    throw usageError(`invalid --maxmemory: ${value}`, 'give a size like 256mb, 1gb or 512m');
  return text;
}

export function checkServiceName(name: string): string {
  // Compose service names: letters, digits, . _ - (and we keep them safe inside YAML and paths).
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/.test(name))
    throw usageError(
      `invalid --service: ${name}`,
      'use letters, digits, ".", "_" or "-", e.g. --service redis',
    );
  return name;
}

export function checkImage(ref: string): string {
  if (!/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(ref)) {
    throw usageError(
      `invalid --image: ${ref}`,
      `give an image reference such as ${defaultImage} or ${valkeyImage}`,
    );
  }
  return ref;
}

export function resolveSettings(a: InitAnswers): InitSettings {
  const provider = checkChoice('--provider', a.provider, providerChoices, 'local');
  const use = checkChoice('--use', a.use, uses, 'cache');
  const profile = checkChoice('--profile', a.profile, profiles, 'dev');
  const port = parsePort(a.port);
  const maxmemory = a.maxmemory === undefined ? profileMemory[profile] : parseSize(a.maxmemory);
  const base = checkServiceName(a.service ?? a.adopt ?? 'redis');
  const image = checkImage(a.image === 'valkey' ? valkeyImage : (a.image ?? defaultImage));
  if (a.envFile !== undefined && !/^[^\0\n]+$/.test(a.envFile))
    throw usageError('invalid --env-file', 'give a file name, e.g. --env-file .env');
  const withLocal = provider === 'local' || a.withLocal === true;

  const make = (
    name: string,
    role: 'cache' | 'queue',
    hostPort: number,
    portVar: string,
    urlVar: string,
  ): ServicePlan => ({
    name,
    role,
    hostPort,
    portVar,
    urlVar,
    confPath: `redis/${name}.conf`,
    maxmemory,
    policy: role === 'cache' ? 'allkeys-lru' : 'noeviction',
    appendonly: role === 'queue',
    save: profileSave[profile],
  });
  let services: ServicePlan[] = [];
  if (withLocal) {
    if (use === 'both') {
      if (port === 65535)
        throw usageError(
          'invalid --port: 65535',
          '--use both needs two ports: the queue service takes --port + 1',
        );
      // Cache and queues apart: one eviction policy cannot serve both (BullMQ needs noeviction: docs.bullmq.io/guide/going-to-production).
      services = [
        make(a.adopt ?? `${base}-cache`, 'cache', port, 'REDIS_CACHE_PORT', 'REDIS_URL'),
        make(`${base}-queue`, 'queue', port + 1, 'REDIS_QUEUE_PORT', 'REDIS_QUEUE_URL'),
      ];
    } else {
      services = [make(base, use, port, 'REDIS_PORT', 'REDIS_URL')];
    }
  }
  return {
    provider,
    use,
    profile,
    withLocal,
    image,
    engine: image.startsWith('valkey/') || image.startsWith('valkey:') ? 'valkey' : 'redis',
    password: a.password !== false,
    services,
    compose: a.compose,
    envFile: a.envFile ?? '.env',
  };
}
