/**
 * `npm run check:packages`: builds every published package, packs it as `npm publish` would, and
 * runs the field's two checkers on what would ship — publint (package.json against the files) and
 * arethetypeswrong (types as TypeScript resolves them under node10, node16 CJS/ESM and bundlers).
 * Exits non-zero when either reports anything. Prints one line per package and check.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packages } from './build.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);

/** attw options per package, with the reason for each. */
const attwOptions = {
  // A server: ES modules only, on purpose (Node 20 runs it; CommonJS callers use `import()`).
  '@tessera/server': ['--profile', 'esm-only'],
  // The script-tag bundle is a plain script that sets `window.Tessera`, not a module to resolve.
  '@tessera/browser': ['--exclude-entrypoints', './tessera.iife.js'],
};

execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const packDir = mkdtempSync(join(tmpdir(), 'tessera-check-'));
let failures = 0;
try {
  for (const [name, dir] of packages) {
    const cwd = join(root, dir);
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], {
      cwd,
      stdio: 'pipe',
    });
    const tarball = join(
      packDir,
      readdirSync(packDir).find((f) => f.startsWith(name.replace('@', '').replace('/', '-'))),
    );
    const checks = [
      ['publint', bin('publint'), ['--strict', tarball]],
      ['attw', bin('attw'), [tarball, '--format', 'ascii', ...(attwOptions[name] ?? [])]],
    ];
    for (const [check, command, args] of checks) {
      const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
      const ok = result.status === 0 && !/Suggestions:|Warnings:|Errors:/.test(result.stdout);
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${check.padEnd(8)} ${name}`);
      if (!ok) {
        failures += 1;
        console.log(`${result.stdout}${result.stderr}`.replace(/^/gm, '     '));
      }
    }
    rmSync(tarball);
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
console.log(failures === 0 ? 'All packages pass publint and arethetypeswrong.' : `${failures} check(s) failed.`);
process.exitCode = failures === 0 ? 0 : 1;
