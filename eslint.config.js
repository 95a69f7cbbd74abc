// ESLint flat config: typescript-eslint with type information, and the package boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

/** Node's built-in modules, by both their names: `fs` and `node:fs`. */
const nodeBuiltins = (message) => ({
  paths: builtinModules.map((name) => ({ name, message })),
  patterns: [{ regex: '^node:', message }],
});

/**
 * Who may import whom. Each entry is one `no-restricted-imports` rule for a set of files (ESLint
 * keeps only the last such rule per file, so a file is in one entry only).
 */
const boundaries = [
  {
    files: ['packages/protocol/src/**/*.ts'],
    patterns: [{ regex: '^(?!\\./)', message: '@tessera/protocol imports nothing' }],
  },
  {
    // The browser and React Native SDKs and their core run where Node does not.
    files: [
      'packages/sdk-core/src/**/*.ts',
      'packages/sdk-browser/src/**/*.ts',
      'packages/sdk-react-native/src/**/*.ts',
    ],
    ...nodeBuiltins('Frontend SDKs run in browsers and React Native: no Node built-ins'),
  },
  {
    // The dashboard speaks the admin API only.
    files: ['apps/dashboard/src/**/*.{ts,tsx}'],
    patterns: [
      {
        regex: '(^@tessera/server|/packages/server/|^\\.\\./\\.\\./\\.\\./)',
        message: 'The dashboard talks to the server through the admin API only',
      },
    ],
  },
  {
    // Handlers are thin: they reach data through services, never storage.
    files: ['packages/server/src/http/**/*.ts'],
    patterns: [
      { regex: '/storage/', message: 'HTTP handlers reach the database through services' },
      { regex: '/cli/', message: 'The server does not depend on the command line' },
    ],
  },
  {
    // The native API takes credentials from http/credentials.ts, not from the GraphQL layer.
    files: ['packages/server/src/http/v1/**/*.ts'],
    patterns: [
      { regex: '/graphql/', message: 'Take shared HTTP pieces from http/, not from the GraphQL layer' },
      { regex: '/storage/', message: 'HTTP handlers reach the database through services' },
    ],
  },
  {
    // Services know nothing of HTTP or GraphQL.
    files: [
      'packages/server/src/services/**/*.ts',
      'packages/server/src/tokens/**/*.ts',
      'packages/server/src/validation/**/*.ts',
    ],
    patterns: [
      { regex: '^(fastify|@fastify/|graphql|light-my-request)', message: 'Services know nothing of HTTP or GraphQL' },
      { regex: '/(http|cli)/', message: 'Services do not depend on the layers above them' },
    ],
  },
  {
    files: ['packages/server/src/storage/**/*.ts'],
    patterns: [
      { regex: '^(fastify|@fastify/|graphql)', message: 'Storage knows nothing of HTTP or GraphQL' },
      { regex: '/(http|cli|services)/', message: 'Storage does not depend on the layers above it' },
    ],
  },
  {
    files: ['packages/server/src/util/**/*.ts'],
    patterns: [{ regex: '^\\.\\./', message: 'util/ is the bottom floor: it imports nothing of the server' }],
  },
].map(({ files, ...restrictions }) => ({
  files,
  rules: { 'no-restricted-imports': ['error', restrictions] },
}));

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
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // sdk-core is platform-neutral: what a platform offers comes through its ports.
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
    },
  },
  ...boundaries,
  {
    // Build and benchmark scripts run on Node.
    files: [
      'packages/*/scripts/*.mjs',
      'packages/server/bin/*.js',
      'scripts/*.mjs',
      'bench/sdk-size.mjs',
      'tests/packages/**/*.mjs',
      'apps/dashboard/scripts/*.js',
    ],
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
