/**
 * `npm run build`: builds the published packages in dependency order (each one's types are read
 * by the next), or only the named ones and what they depend on.
 *   node scripts/build.mjs                   # all
 *   node scripts/build.mjs @tessera/node     # protocol, sdk-core, then node
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
/** Every published package, each after the ones it depends on. */
export const packages = [
  ['@tessera/protocol', 'packages/protocol'],
  ['@tessera/sdk-core', 'packages/sdk-core'],
  ['@tessera/browser', 'packages/sdk-browser'],
  ['@tessera/react-native', 'packages/sdk-react-native'],
  ['@tessera/node', 'packages/sdk-node'],
  ['@tessera/server', 'packages/server'],
];

const dirOf = new Map(packages);
const wanted = new Set();
function want(name) {
  if (wanted.has(name)) return;
  const dir = dirOf.get(name);
  if (!dir) throw new Error(`${name} is not a published package (${[...dirOf.keys()].join(', ')})`);
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) if (dirOf.has(dep)) want(dep);
  wanted.add(name);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : dirOf.keys()) want(name);
  for (const [name, dir] of packages) {
    if (!wanted.has(name)) continue;
    const started = performance.now();
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: join(root, dir), stdio: 'inherit' });
    console.log(`built ${name} in ${Math.round(performance.now() - started)} ms`);
  }
}
