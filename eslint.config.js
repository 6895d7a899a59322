// Lint: typescript-eslint's type-aware recommended rules, plus the house's lazy-import rule.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Modules that `redis-ops --help` loads must not pull these in at top level: each costs startup
// time (measured by bench/scenarios/startup). Commands import them inside their action.
const heavy = ['ioredis', 'bullmq', '@inquirer/prompts', 'chalk', 'execa', 'yaml'];
const heavyPaths = heavy.map((name) => ({
  name,
  message: `${name} is heavy: import it lazily inside the action, not on the --help path.`,
  allowTypeImports: true,
}));
// CommonJS packages load through require() in one wrapper each: an ESM import of one makes Node
// run its export lexer and translator on every start (ioredis: about 30 ms of every flush).
const wrapped = {
  ioredis: 'src/redis/ioredis.ts',
  'redis-parser': 'src/redis/resp-decode.ts',
  commander: 'src/commander.ts',
};
const wrappedPaths = Object.entries(wrapped).map(([name, file]) => ({
  name,
  message: `${name} is CommonJS: import its values from ${file}, which loads it through require().`,
  allowTypeImports: true,
}));

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
    files: ['src/**/*.ts'],
    ignores: Object.values(wrapped),
    rules: { 'no-restricted-imports': ['error', { paths: wrappedPaths }] },
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
        { paths: [...heavyPaths, ...wrappedPaths.filter((p) => !heavy.includes(p.name))] },
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
