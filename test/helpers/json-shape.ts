import { Ajv, type ValidateFunction } from 'ajv';
import { inject } from 'vitest';
import type { JsonShape } from './json-schemas.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<JsonShape, ValidateFunction>();

/** Throws, naming every mismatch, unless `value` has the typed shape `<name>` (json-schemas.ts). */
export function assertJsonShape(name: JsonShape, value: unknown): void {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(inject('jsonSchemas')[name]);
    compiled.set(name, validate);
  }
  if (validate(value)) return;
  const errors = (validate.errors ?? []).map(
    (e) => `  ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
  throw new Error(
    `--json output does not match ${name}:\n${errors.join('\n')}\n${JSON.stringify(value, null, 2).slice(0, 2000)}`,
  );
}

/**
 * A README fragment (`"sentinel": { ... }`): the fields it shows have the types `<name>` gives
 * them (the other fields of the shape may be left out).
 */
export function assertJsonFragment(name: JsonShape, fields: Record<string, unknown>): void {
  const schema = inject('jsonSchemas')[name] as { properties?: Record<string, object>; definitions?: object };
  const unknown = Object.keys(fields).filter((k) => !schema.properties?.[k]);
  if (unknown.length) throw new Error(`${name} has no field ${unknown.join(', ')}`);
  const partial = {
    type: 'object',
    properties: Object.fromEntries(Object.keys(fields).map((k) => [k, schema.properties?.[k]])),
    definitions: schema.definitions,
  };
  const validate = ajv.compile(partial);
  if (!validate(fields))
    throw new Error(`README fragment does not match ${name}: ${JSON.stringify(validate.errors)}`);
}

const jobActionWords = ['retry', 'remove', 'promote', 'discard', 'move-to-failed'];

/** Which shape a command line prints with --json. */
export function shapeFor(args: string[]): JsonShape {
  const command = args.find((a) => !a.startsWith('-'));
  switch (command) {
    case 'doctor':
      return 'DoctorJson';
    case 'init':
      return 'InitJson';
    case 'flush':
      return 'FlushJson';
    case 'stats':
      if (args.includes('--hits')) return 'HitsJson';
      if (args.includes('--section')) return 'SectionsJson';
      return args.includes('--keys') ? 'KeysJson' : args.includes('--watch') ? 'WatchJson' : 'StatsJson';
    case 'queues':
      if (args.includes('--watch')) return 'QueuesWatchJson';
      if (args.includes('schedulers'))
        return args.includes('remove') ? 'SchedulerRemoveJson' : 'SchedulersJson';
      if (args.includes('flow')) return 'FlowJson';
      if (args.includes('show')) return 'ShowJson';
      if (args.includes('drain') || args.includes('obliterate')) return 'DrainJson';
      if (args.includes('job'))
        return jobActionWords.some((a) => args.includes(a)) ? 'JobActionJson' : 'JobJson';
      if (args.includes('jobs'))
        return jobActionWords.some((a) => args.includes(a)) ? 'JobsActionJson' : 'JobsJson';
      if (args.includes('--all-queues')) return 'RetryAllJson';
      return ['retry', 'promote', 'clean', 'pause', 'resume'].some((a) => args.includes(a))
        ? 'ActionJson'
        : 'QueuesJson';
    default:
      throw new Error(`no JSON shape known for: redis-ops ${args.join(' ')}`);
  }
}
