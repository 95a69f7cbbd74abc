/**
 * `npm run check:packages`: builds and packs every published package and runs the field's two
 * checkers on what would ship — publint (package.json against the packed files) and
 * arethetypeswrong (types as TypeScript resolves them under node10, node16 CJS/ESM and bundlers).
 * Exits non-zero when either reports anything. tests/packages/checkers.test.ts runs the same checks
 * in CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAll } from './pack.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);

/** attw options per package, with the reason for each. */
const attwOptions = {
  // A server: ES modules only, on purpose (Node 20 runs it; CommonJS callers use `import()`).
  '@tessera/server': ['--profile', 'esm-only'],
  // The script-tag bundle is a plain script that sets `window.Tessera`, not a module to resolve.
  '@tessera/browser': ['--exclude-entrypoints', './tessera.iife.js'],
};

/**
 * Runs publint and attw on one tarball.
 * @returns {{ check: string, ok: boolean, output: string }[]}
 */
export function checkTarball(name, tarball) {
  const checks = [
    ['publint', bin('publint'), ['--strict', tarball]],
    ['attw', bin('attw'), [tarball, '--format', 'ascii', ...(attwOptions[name] ?? [])]],
  ];
  return checks.map(([check, command, args]) => {
    const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    // publint exits 0 with suggestions; any message at all counts as a problem here.
    return { check, ok: result.status === 0 && !/Suggestions:|Warnings:|Errors:/.test(output), output };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-check-'));
  let failures = 0;
  try {
    for (const [name, tarball] of Object.entries(packAll(dir))) {
      for (const { check, ok, output } of checkTarball(name, tarball)) {
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${check.padEnd(8)} ${name}`);
        if (!ok) {
          failures += 1;
          console.log(output.replace(/^/gm, '     '));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(failures === 0 ? 'All packages pass publint and arethetypeswrong.' : `${failures} check(s) failed.`);
  process.exitCode = failures === 0 ? 0 : 1;
}
