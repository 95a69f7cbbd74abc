// `npm run test:packages`: the packages as a user gets them. A global setup builds and packs every
// published package once; each test installs the tarballs into a fresh folder outside the
// checkout and uses them there. Run once by CI (not per database): they install, they do not query.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/packages/**/*.test.ts'],
    globalSetup: ['tests/packages/helpers/global-setup.ts'],
    // npm install of a tarball set takes 10-60 s here.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    poolOptions: { forks: { maxForks: 2 } },
  },
});
