/**
 * Builds every published package (`npm run build`) and packs each into one temporary folder, as
 * `npm publish` would, once per run; tests read the tarballs' paths with `inject('tarballs')`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packages } from '../../../scripts/build.mjs';

const root = new URL('../../../', import.meta.url).pathname;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name → absolute path of its tarball. */
    tarballs: Record<string, string>;
  }
}

export default function setup(project: TestProject): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'tessera-tarballs-'));
  const tarballs: Record<string, string> = {};
  for (const [name, packageDir] of packages) {
    const before = new Set(readdirSync(dir));
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
      cwd: join(root, packageDir),
      stdio: 'pipe',
    });
    const file = readdirSync(dir).find((f) => !before.has(f));
    if (!file) throw new Error(`npm pack wrote nothing for ${name}`);
    tarballs[name] = join(dir, file);
  }
  project.provide('tarballs', tarballs);
  return () => rmSync(dir, { recursive: true, force: true });
}
