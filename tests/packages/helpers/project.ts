/**
 * A fresh project in a temporary folder outside the checkout, with some of the packed tarballs
 * installed by plain `npm install` (no workspaces, no links): what a user's project looks like.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);

export interface Project {
  dir: string;
  /** How long `npm install` took, in ms. */
  installMs: number;
  /** Runs a command in the project; resolves with its output, rejects with it on a non-zero exit. */
  exec(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }>;
  /** Writes a file into the project (making its folders). */
  write(path: string, content: string): void;
  remove(): void;
}

/**
 * Installs the named packages' tarballs (each one's @tessera dependencies must be named too, as
 * unpublished packages cannot come from the registry) plus `extra` registry packages.
 * @example const project = await createProject(['@tessera/protocol', '@tessera/sdk-core', '@tessera/node']);
 */
export async function createProject(packages: string[], extra: string[] = []): Promise<Project> {
  const tarballs = inject('tarballs');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-user-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'a-user-project', private: true, version: '1.0.0' }));
  const exec: Project['exec'] = (command, args, env) =>
    run(command, args, { cwd: dir, env: { ...userEnv(), ...env }, maxBuffer: 64 * 1024 * 1024 });
  const started = performance.now();
  const specs = packages.map((name) => {
    const file = tarballs[name];
    if (!file) throw new Error(`no tarball for ${name}`);
    return file;
  });
  try {
    await exec('npm', [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...specs,
      ...extra,
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    installMs: performance.now() - started,
    exec,
    write: (path, content) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The environment of a user's shell: this process's, without what the test runner added
 * (Vitest sets NODE_ENV=test, which would turn the server's production mode off).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_ENV') delete env[name];
  delete env.NODE_OPTIONS;
  return env;
}

/** The text of a file in tests/packages/fixtures, to write into a project. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}
