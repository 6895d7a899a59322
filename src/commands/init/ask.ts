import { CliError } from '../../errors.js';
import { uses } from '../../doctor/facts.js';
import { askCheckbox, askConfirm, askInput, askSelect } from '../../ui/prompt.js';
import {
  checkServiceName,
  parsePort,
  parseSize,
  providerChoices,
  profiles,
  type InitAnswers,
} from '../../scaffold/settings.js';

/** Turn a validator that throws into one that answers with the message (inquirer's contract). */
const valid =
  (check: (v: string) => unknown) =>
  (v: string): true | string => {
    try {
      check(v);
      return true;
    } catch (err) {
      return (err as Error).message;
    }
  };

/**
 * The questions of interactive mode, each only when its flag was not given. Every question
 * has a flag, so anything asked here can also be scripted.
 */
export async function askMissing(a: InitAnswers & { up?: boolean }): Promise<InitAnswers & { up?: boolean }> {
  const out = { ...a };
  out.provider ??= await askSelect(
    'Where does Redis run in production?',
    providerChoices.map((value) => ({ value })),
    'local',
  );
  if (out.provider !== 'local')
    out.withLocal ??= await askConfirm('Also add a local Redis service for development?', true);
  out.use ??= await askSelect(
    'What is it for?',
    [
      { value: 'cache', description: 'allkeys-lru with maxmemory, no AOF' },
      { value: 'queue', description: 'BullMQ: noeviction, AOF every second' },
      { value: 'both', description: 'two services: redis-cache and redis-queue' },
    ] as Array<{ value: (typeof uses)[number]; description: string }>,
    'cache',
  );
  out.profile ??= await askSelect(
    'Profile?',
    profiles.map((value) => ({ value })),
    'dev',
  );
  if (out.provider === 'local' || out.withLocal) {
    if (out.adopt === undefined)
      out.service ??= await askInput('Compose service name:', {
        default: 'redis',
        validate: valid(checkServiceName),
      });
    out.port ??= await askInput('Port on 127.0.0.1:', {
      default: '6379',
      validate: valid((v) => parsePort(v)),
    });
    out.maxmemory ??= await askInput('maxmemory:', {
      default: out.profile === 'prod' ? '1gb' : '256mb',
      validate: valid(parseSize),
    });
    out.password ??= await askConfirm('Generate a strong password (kept in .env)?', true);
    out.up ??= await askConfirm('Start it now?', false);
  }
  return out;
}

/** An existing Redis: harden it in place (the default), or stop before anything is written. */
export async function askAdopt(file: string, redis: Array<{ name: string; image: string }>): Promise<string> {
  const first = redis[0] ?? { name: 'redis', image: '' };
  const name =
    redis.length > 1
      ? await askSelect(
          `${file} has ${redis.length} Redis services. Which one should init harden?`,
          redis.map((r) => ({ value: r.name, description: r.image })),
          first.name,
        )
      : first.name;
  const ok = await askConfirm(
    `${file} already has Redis: ${name}${first.image && redis.length === 1 ? ` (${first.image})` : ''}. Harden it in place (password, loopback port, health check; keeps its data and settings)?`,
    true,
  );
  if (!ok)
    throw new CliError(
      'nothing was written: init does not add a second Redis by accident',
      'run init --service <name> to add one beside it on purpose',
    );
  return name;
}

/** Which app services get REDIS_URL, depends_on and the Redis networks (all, by default). */
export async function askWire(apps: string[]): Promise<string[]> {
  return askCheckbox(
    'Wire these services to Redis (depends_on service_healthy, REDIS_URL by service name)?',
    apps.map((value) => ({ value, checked: true })),
  );
}
