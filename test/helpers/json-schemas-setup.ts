import type { TestProject } from 'vitest/node';
import { generateJsonSchemas } from './json-schemas.js';

/** Global setup: the JSON Schemas of every --json shape, generated once and handed to the tests. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('jsonSchemas', await generateJsonSchemas());
}
