// Builds @tessera/node into dist/ (ES modules for `import`, CommonJS for `require`, types).
import { buildLibrary } from '../../../scripts/build-library.mjs';

await buildLibrary({
  dir: new URL('../', import.meta.url),
  entries: { index: 'src/index.ts' },
  platform: 'node',
  esbuild: { target: 'node20' },
});
