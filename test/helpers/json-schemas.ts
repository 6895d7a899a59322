import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The JSON shapes of every --json output are the TypeScript interfaces the renderers return
 * (`to<Name>Json(): <Name>Json`, in src/commands/<name>/types.ts; a failure's ErrorJson is in
 * src/errors.ts). JSON Schemas are generated from those interfaces once per run (global setup,
 * ts-json-schema-generator) and every e2e test's --json output, failures included, is validated
 * against them (json-shape.ts, cli.ts), so the types, the output and the README's examples cannot
 * drift apart. No extra fields: additionalProperties false.
 */
export const jsonShapes = [
  'DoctorJson',
  'StatsJson',
  'SectionsJson',
  'KeysJson',
  'WatchJson',
  'HitsJson',
  'QueuesJson',
  'ShowJson',
  'JobJson',
  'JobsJson',
  'QueuesWatchJson',
  'SchedulersJson',
  'SchedulerRemoveJson',
  'FlowJson',
  'ActionJson',
  'JobActionJson',
  'JobsActionJson',
  'DrainJson',
  'RetryAllJson',
  'InitJson',
  'FlushJson',
  // A failure under --json, any command (src/errors.ts).
  'ErrorJson',
] as const;
export type JsonShape = (typeof jsonShapes)[number];
export type JsonSchemas = Record<JsonShape, object>;

const root = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

export async function generateJsonSchemas(): Promise<JsonSchemas> {
  const { createGenerator } = await import('ts-json-schema-generator');
  const generator = createGenerator({
    path: join(root, 'src/{commands/*/types,errors}.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: '*',
    skipTypeCheck: true, // tsc checks the types; this only reads them
    expose: 'export',
    topRef: false,
    additionalProperties: false,
  });
  return Object.fromEntries(jsonShapes.map((name) => [name, generator.createSchema(name)])) as JsonSchemas;
}

declare module 'vitest' {
  export interface ProvidedContext {
    jsonSchemas: JsonSchemas;
  }
}
