/**
 * Builds @tessera/server as it is installed: the server and CLI as ES modules in `dist/`
 * (esbuild; `cli.js` behind the `tessera` command, `index.js` for `import { createServer }`), the
 * types of the public entry, and the operator dashboard in `dist/dashboard`. Dependencies stay in
 * node_modules; only the workspace's own TypeScript packages are bundled in, so the installed
 * package needs nothing but its dependencies and runs no TypeScript loader.
 * Usage: `npm run build -w @tessera/server` (~1 s; the dashboard ~3 s more when it changed).
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyLicense, SOURCE_CONDITION, writeTypes } from '../../../scripts/build-library.mjs';

const dir = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies);

const started = performance.now();
copyLicense(dir);
// The dashboard builds itself into dist/dashboard when its sources changed (apps/dashboard).
execFileSync(
  process.execPath,
  [fileURLToPath(new URL('../../../apps/dashboard/scripts/ensure-built.js', import.meta.url))],
  {
    stdio: 'inherit',
  },
);
for (const name of readdirSync(join(dir, 'dist'), { withFileTypes: true })) {
  if (name.name !== 'dashboard') rmSync(join(dir, 'dist', name.name), { recursive: true, force: true });
}
await build({
  entryPoints: { cli: join(dir, 'src/cli/main.ts'), index: join(dir, 'src/index.ts') },
  outdir: join(dir, 'dist'),
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: [SOURCE_CONDITION],
  external,
  sourcemap: 'linked',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
writeTypes(dir, ['src/index.ts'], [join(dir, 'dist')]);
console.log(`Built @tessera/server in ${Math.round(performance.now() - started)} ms`);
