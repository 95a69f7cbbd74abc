/**
 * Provides the tarballs the package tests install, with `inject('tarballs')`: by default every
 * published package is built and packed into a fresh temporary folder once per run
 * (scripts/pack.mjs); with TESSERA_TARBALLS_DIR set (CI: `npm run pack` first), the tarballs
 * already there are used — the same files the Docker image installs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packages } from '../../../scripts/build.mjs';
import { packAll } from '../../../scripts/pack.mjs';

const root = new URL('../../../', import.meta.url).pathname;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name → absolute path of its tarball. */
    tarballs: Record<string, string>;
  }
}

export default function setup(project: TestProject): () => void {
  const given = process.env.TESSERA_TARBALLS_DIR;
  const dir = given ? resolve(given) : mkdtempSync(join(tmpdir(), 'tessera-tarballs-'));
  const tarballs = given ? existing(dir) : packAll(dir);
  project.provide('tarballs', tarballs);
  return () => {
    if (!given) rmSync(dir, { recursive: true, force: true });
  };
}

/** The tarballs `npm run pack` left in `dir`, for the versions in the checkout. */
function existing(dir: string): Record<string, string> {
  const tarballs: Record<string, string> = {};
  for (const [name, packageDir] of packages) {
    const { version } = JSON.parse(readFileSync(join(root, packageDir, 'package.json'), 'utf8')) as { version: string };
    const file = join(dir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run pack\` first`);
    tarballs[name] = file;
  }
  return tarballs;
}
