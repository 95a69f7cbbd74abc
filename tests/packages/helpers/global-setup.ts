/**
 * Builds every published package and packs each into dist-packages/ (scripts/pack.mjs), as
 * `npm publish` would, once per run; tests read the tarballs' paths with `inject('tarballs')`.
 * The Docker image installs the same server tarball.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { packAll } from '../../../scripts/pack.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name → absolute path of its tarball. */
    tarballs: Record<string, string>;
  }
}

export default function setup(project: TestProject): void {
  const tarballs = packAll();
  for (const [name, file] of Object.entries(tarballs)) {
    if (!existsSync(file)) throw new Error(`npm pack wrote no ${file} for ${name}`);
  }
  project.provide('tarballs', tarballs);
}
