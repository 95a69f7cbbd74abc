// Builds @tessera/react-native into dist/cjs (CommonJS and types), with sdk-core bundled in.
// CommonJS, because Metro treats only a literal `require()` inside try/catch as optional (the
// AsyncStorage look-up in src/index.ts), and esbuild's ES module output would wrap it.
import { buildLibrary } from '../../../scripts/build-library.mjs';

await buildLibrary({
  dir: new URL('../', import.meta.url),
  entries: { index: 'src/index.ts' },
  formats: ['cjs'],
  inline: ['@tessera/sdk-core'],
});
