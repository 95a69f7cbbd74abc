// Builds @tessera/protocol into dist/ (ES modules, CommonJS, types): see scripts/build-library.mjs.
import { buildLibrary } from '../../../scripts/build-library.mjs';

await buildLibrary({ dir: new URL('../', import.meta.url), entries: { index: 'src/index.ts' } });
