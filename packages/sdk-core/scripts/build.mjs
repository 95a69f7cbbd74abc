// Builds @tessera/sdk-core into dist/ (ES modules, CommonJS, types), with its `testing` entry.
import { buildLibrary } from '../../../scripts/build-library.mjs';

await buildLibrary({
  dir: new URL('../', import.meta.url),
  entries: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
});
