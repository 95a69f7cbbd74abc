// `tessera --version` prints the server package's version, from the sources and from a bundle laid
// out as dist/ is (the bundle one level below package.json).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const dir = mkdtempSync(join(tmpdir(), 'tessera-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tessera --version', { timeout: 60_000 }, () => {
  it('from the sources', async () => {
    const result = await runCli(['--version'], { cwd: dir });
    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('from a bundle in dist/', async () => {
    await build({
      entryPoints: { cli: join(packageDir, 'src/cli/main.ts') },
      outdir: join(dir, 'dist'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@tessera/source'],
      external: Object.keys(pkg.dependencies),
      logLevel: 'warning',
    });
    // A version of its own: the bundle must read the package.json beside dist/, not the sources'.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '9.8.7-bundle' }));
    symlinkSync(join(packageDir, '../../node_modules'), join(dir, 'node_modules'));
    const out = execFileSync(process.execPath, [join(dir, 'dist/cli.js'), '--version'], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe('9.8.7-bundle\n');
  });
});
