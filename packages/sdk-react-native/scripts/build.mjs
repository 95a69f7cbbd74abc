// Builds @tessera/react-native to dist/index.cjs: sdk-core bundled; react-native and AsyncStorage left to Metro.
// CommonJS, because Metro only treats a literal `require()` inside try/catch as optional, and
// esbuild's ESM output would wrap it.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(root, 'dist/index.cjs'),
  bundle: true,
  format: 'cjs',
  target: 'es2020',
  platform: 'neutral',
  external: ['react-native', '@react-native-async-storage/async-storage'],
  define: { __VERSION__: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
});
