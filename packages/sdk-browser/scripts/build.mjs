// Builds @tessera/browser: dist/esm and dist/cjs (for bundlers, with types) and
// dist/tessera.iife.js (the script tag: minified, sets the global `Tessera`; `--script-tag` builds only it).
// sdk-core is bundled in, so that the internal names shared by the two (ports, delivery) can be
// shortened in every output: a user's bundler minifies our code but never renames properties,
// and that renaming is ~100 bytes of the 5 KB budget. No public option, wire or storage name is
// among them.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary, SOURCE_CONDITION } from '../../../scripts/build-library.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Internal property names, shortened in every output. */
export const mangleProps =
  /^(expired|accepted|paused|queueKey|queuePrefix|enqueue|abandoned|onOnline|instances|transport|network|base64|exit|report|uuid|clock|store|lock|token|send|beacon|load|clear|size|online|out|overflowed)$/;

/** The esbuild options every output shares; the size benchmark builds the others with them too. */
export const common = {
  bundle: true,
  target: 'es2020',
  platform: 'browser',
  conditions: [SOURCE_CONDITION],
  define: { __VERSION__: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
};

/** The script-tag build: minified; a plain assignment to `Tessera` (src/iife.ts) rather than `globalName`, so no export helpers. */
export const iifeOptions = {
  ...common,
  entryPoints: [join(root, 'src/iife.ts')],
  format: 'iife',
  minify: true,
  mangleProps,
  outfile: join(root, 'dist/tessera.iife.js'),
};

export async function buildAll() {
  await buildLibrary({
    dir: root,
    entries: { index: 'src/index.ts' },
    platform: 'browser',
    inline: ['@tessera/sdk-core'],
    esbuild: { mangleProps, minifySyntax: true },
  });
  await build(iifeOptions);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `--script-tag`: only dist/tessera.iife.js (what the demo app serves), leaving the rest as it is.
  if (process.argv.includes('--script-tag')) await build(iifeOptions);
  else await buildAll();
}
