// Builds @tessera/browser: dist/index.js (ESM, for bundlers) and dist/tessera.iife.js (minified, global `Tessera`).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The esbuild options shared by both outputs; the size benchmark builds the others with them too. */
export const common = {
  bundle: true,
  target: 'es2020',
  platform: 'browser',
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
  // Internal property names (ports, delivery) are shortened too; never a public option, wire or storage name.
  mangleProps:
    /^(expired|accepted|paused|queueKey|queuePrefix|enqueue|abandoned|onOnline|instances|transport|network|base64|exit|report|uuid|clock|store|lock|token|send|beacon)$/,
  outfile: join(root, 'dist/tessera.iife.js'),
};

export async function buildAll({ write = true } = {}) {
  const esm = await build({
    ...common,
    entryPoints: [join(root, 'src/index.ts')],
    format: 'esm',
    outfile: join(root, 'dist/index.js'),
    write,
  });
  const iife = await build({ ...iifeOptions, write });
  return { esm, iife };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll();
