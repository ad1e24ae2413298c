// Lint rules that catch real bugs, plus the rules that keep workflow code deterministic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Workflow code replays from history: no I/O, no entropy, no Node built-ins. */
const deterministicImports = {
  patterns: [
    {
      group: ['node:*', 'fs', 'fs/*', 'crypto', 'http', 'https', 'net', 'child_process', 'os', 'path'],
      message: 'workflow and domain code is deterministic: no I/O / 工作流代码须确定性',
    },
    {
      group: ['mongoose', 'zod', 'express', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
      message: 'workflow and domain code stays free of I/O libraries and zod (the workflow bundle)',
    },
    {
      group: ['**/activities/*', '**/store/*', '**/api/*', '**/platform/*'],
      allowTypeImports: true,
      message: 'workflows call activities through proxyActivities; import their types only',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'coverage/', 'bench/results/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // style, not bugs: an async door without an await is fine
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', deterministicImports],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'use the SDK’s uuid4/random in workflows; pass values into domain rules',
        },
      ],
    },
  },
  {
    // reference-data schemas validate at the API; workflow code imports their types only
    files: ['domain/names.ts', 'domain/**/schemas.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // tests read untyped JSON answers and fake async doors; the bug-catching rules still apply
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    // domain rules take every instant as an argument
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain rules take the instant as an argument / 时间须由参数传入',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'domain rules take the instant as an argument / 时间须由参数传入',
        },
      ],
    },
  },
);
