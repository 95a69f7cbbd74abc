// ESLint flat config: typescript-eslint with type information, and the package boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'scratch/**', '.tessera/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read loosely typed JSON answers.
    files: ['**/test/**/*.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Only config.ts reads the environment.
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings in config.ts' },
      ],
    },
  },
  {
    // The protocol package imports nothing.
    files: ['packages/protocol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: '@tessera/protocol imports nothing' }] },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // sdk-core is platform-neutral (conventions.md): what a platform offers comes through its ports.
    files: ['packages/sdk-core/src/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'location',
          'self',
          'addEventListener',
          'fetch',
          'XMLHttpRequest',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'atob',
          'btoa',
          'crypto',
          'TextEncoder',
          'TextDecoder',
          'process',
          'Buffer',
          'require',
          'module',
          '__dirname',
          '__filename',
        ].map((name) => ({ name, message: 'sdk-core is platform-neutral: take it from a port' })),
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: 'sdk-core is platform-neutral: no Node' })),
          patterns: [{ regex: '^node:', message: 'sdk-core is platform-neutral: no Node' }],
        },
      ],
    },
  },
  {
    // Build and benchmark scripts run on Node.
    files: ['packages/sdk-*/scripts/*.mjs', 'packages/server/build.mjs', 'bench/sdk-size.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // The demo's pages are plain browser scripts.
    files: ['examples/demo-app/public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, Tessera: 'readonly', DEMO_CONFIG: 'readonly' },
    },
  },
);
