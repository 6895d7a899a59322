// Lint: typescript-eslint's type-aware recommended rules, plus the house's lazy-import rule.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Modules that `redis-ops --help` loads must not pull these in at top level: each costs startup
// time (measured by bench/scenarios/startup). Commands import them inside their action.
const heavy = ['ioredis', 'bullmq', '@inquirer/prompts', 'chalk', 'execa', 'yaml'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results.json', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The startup path: cli.ts, the commander wrapper and every command's index.ts (register only).
    files: [
      'src/cli.ts',
      'src/program.ts',
      'src/report.ts',
      'src/options.ts',
      'src/commander.ts',
      'src/commands/*.ts',
      'src/commands/*/index.ts',
      'src/errors.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: heavy.map((name) => ({
            name,
            message: `${name} is heavy: import it lazily inside the action, not on the --help path.`,
            allowTypeImports: true,
          })),
        },
      ],
    },
  },
  {
    // Tests read JSON.parse output and child-process results: `any` there is the point of the
    // assertion, and typed shapes are checked by the JSON shape tests instead.
    files: ['test/**/*.ts', 'vitest.config.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
);
