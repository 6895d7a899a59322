import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, no server; npm run test:unit) and `e2e` (the built dist/ against
// real redis-server processes; npm run test:e2e). `npm test` runs both.
export default defineConfig({
  test: {
    // Temp-dir root, leftover redis-server cleanup, and the check that no test wrote into the repo.
    globalSetup: ['test/helpers/global-setup.ts'],
    // Forks, not threads: redis-server children are tracked per process and killed at the end.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // JSON Schemas of every --json shape, generated from the types once per run.
          globalSetup: ['test/helpers/json-schemas-setup.ts'],
        },
      },
    ],
  },
});
