/**
 * `npm run pack`: builds every published package and packs each into dist-packages/ as
 * `npm publish` would. The package tests install these tarballs, and the Docker image installs
 * the server's, so what is tested is what ships.
 *   node scripts/pack.mjs [--out DIR]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packages } from './build.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * Builds and packs; returns package name → absolute tarball path.
 * @param {string} out the folder for the tarballs (emptied of older ones first)
 */
export function packAll(out = join(root, 'dist-packages')) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(out)) if (file.endsWith('.tgz')) rmSync(join(out, file));
  const tarballs = {};
  for (const [name, dir] of packages) {
    const { version } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], {
      cwd: join(root, dir),
      stdio: 'pipe',
    });
    // npm's tarball name: @scope/name@1.2.3 → scope-name-1.2.3.tgz
    tarballs[name] = join(out, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  }
  return tarballs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const tarballs = packAll(at > 0 ? resolve(process.argv[at + 1]) : undefined);
  for (const [name, file] of Object.entries(tarballs)) console.log(`${name.padEnd(24)} ${file}`);
}
