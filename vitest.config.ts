import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources under this export condition (their
// published `exports` point at dist/): tests never run a stale build.
const conditions = ['@tessera/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@tessera/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    // Each file starts its own server and database; PGlite takes ~1 s to boot.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over them.
    poolOptions: { forks: { maxForks: 2 } },
  },
});
