/**
 * Builds one of Tessera's published libraries into `dist/`, the same way for every package:
 * esbuild bundles each entry to ES modules (`dist/esm/`) and CommonJS (`dist/cjs/`, which holds a
 * `package.json` saying so), and tsc writes the `.d.ts` types into both folders. Why this pair and
 * this layout: docs/packaging.md.
 *
 * Dependencies and peer dependencies stay imports; other workspace packages listed in `inline`
 * are bundled in from their sources. Only the declaration files an entry reaches are shipped, and
 * the build fails when one of them imports a package the library does not depend on.
 * @example
 *   await buildLibrary({ dir: new URL('./', import.meta.url), entries: { index: 'src/index.ts' } });
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The export condition under which every workspace package points at its TypeScript sources. */
export const SOURCE_CONDITION = '@tessera/source';

/**
 * @param {object} options
 * @param {string | URL} options.dir the package directory
 * @param {Record<string, string>} options.entries output name → source file, e.g. `{ index: 'src/index.ts' }`
 * @param {('esm' | 'cjs')[]} [options.formats] default both
 * @param {'neutral' | 'node' | 'browser'} [options.platform] default `neutral`
 * @param {string[]} [options.inline] workspace packages bundled in rather than imported
 * @param {import('esbuild').BuildOptions} [options.esbuild] more esbuild options for every format
 * @returns {Promise<{ files: string[] }>} the files written, relative to the package
 */
export async function buildLibrary(options) {
  const dir = typeof options.dir === 'string' ? options.dir : fileURLToPath(options.dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const formats = options.formats ?? ['esm', 'cjs'];
  const inline = new Set(options.inline ?? []);
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const external = [...declared].filter((name) => !inline.has(name));
  const mainEntry = resolve(dir, options.entries.index ?? Object.values(options.entries)[0]);

  copyLicense(dir);
  rmSync(join(dir, 'dist'), { recursive: true, force: true });

  const written = [];
  for (const format of formats) {
    const outdir = join(dir, 'dist', format);
    for (const [name, source] of Object.entries(options.entries)) {
      await build({
        entryPoints: { [name]: resolve(dir, source) },
        outdir,
        bundle: true,
        format,
        // For CommonJS, esbuild writes the `module.exports = {…}` hint that lets Node's ES module
        // loader see the named exports only when the platform is `node`; our own code is the same.
        platform: format === 'cjs' ? 'node' : (options.platform ?? 'neutral'),
        target: 'es2020',
        conditions: [SOURCE_CONDITION],
        // `neutral` reads no `main` fields by default; workspace sources come through the condition.
        mainFields: ['module', 'main'],
        external,
        plugins: [selfReference(pkg.name, mainEntry, resolve(dir, source))],
        define: { __VERSION__: JSON.stringify(pkg.version) },
        legalComments: 'none',
        logLevel: 'warning',
        ...options.esbuild,
      });
      written.push(`dist/${format}/${name}.js`);
    }
    if (format === 'cjs') writeFileSync(join(outdir, 'package.json'), '{\n  "type": "commonjs"\n}\n');
  }

  const typeDirs = formats.map((format) => join(dir, 'dist', format));
  written.push(...writeTypes(dir, Object.values(options.entries), typeDirs));
  // Each entry's types sit beside its JavaScript: `testing.d.ts` for `testing.js`.
  for (const [name, source] of Object.entries(options.entries)) {
    const declaration = `./${source.replace(/^src\//, '').replace(/\.ts$/, '.js')}`;
    if (declaration === `./${name}.js`) continue;
    for (const typeDir of typeDirs) {
      writeFileSync(join(typeDir, `${name}.d.ts`), `export * from '${declaration}';\n`);
      written.push(relative(dir, join(typeDir, `${name}.d.ts`)));
    }
  }
  return { files: written };
}

/**
 * Writes the declaration files that `entries` reach into each of `outDirs` (relative to `dir`);
 * returns the files written, relative to the package.
 * @throws when a reached declaration imports a package that is not a dependency
 */
export function writeTypes(dir, entries, outDirs) {
  // `npm start` and the benchmarks run the code and need no types: TESSERA_BUILD_TYPES=0 skips tsc.
  if (process.env.TESSERA_BUILD_TYPES === '0') return [];
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const types = emitDeclarations(dir, pkg);
  const written = [];
  try {
    const shipped = reachableDeclarations(types, entries, declared, pkg.name);
    for (const outDir of outDirs) {
      for (const file of shipped) {
        const target = join(outDir, file);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, rewriteSpecifiers(readFileSync(join(types, file), 'utf8')));
        written.push(relative(dir, target));
      }
    }
  } finally {
    rmSync(types, { recursive: true, force: true });
  }
  return written;
}

/**
 * A second entry (e.g. `testing`) that imports the package's main entry gets it through the
 * package's own name, so both entries share one copy of the code (and of its classes).
 */
function selfReference(packageName, mainEntry, thisEntry) {
  return {
    name: 'self-reference',
    setup(b) {
      if (thisEntry === mainEntry) return;
      b.onResolve({ filter: /^\.\.?\// }, (args) =>
        resolve(args.resolveDir, args.path) === mainEntry ? { path: packageName, external: true } : undefined,
      );
    },
  };
}

/** Runs tsc over the package's sources, declarations only, into a temporary folder. */
function emitDeclarations(dir, pkg) {
  const out = mkdtempSync(join(tmpdir(), 'tessera-dts-'));
  const ownConfig = join(dir, 'tsconfig.json');
  const config = {
    extends: existsSync(ownConfig) ? ownConfig : join(repoRoot, 'tsconfig.base.json'),
    compilerOptions: {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      rootDir: join(dir, 'src'),
      outDir: out,
      // Other workspace packages are read from their built types, as a user's compiler reads them.
      customConditions: [],
      typeRoots: [join(repoRoot, 'node_modules/@types')],
    },
    include: [join(dir, 'src/**/*.ts')],
    exclude: [join(dir, 'src/**/*.test.ts')],
  };
  const file = join(out, 'tsconfig.json');
  writeFileSync(file, JSON.stringify(config));
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', file], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`tsc could not write the types of ${pkg.name}:\n${err.stdout}${err.stderr}`);
  }
  rmSync(file);
  return out;
}

const importPattern = /(?:from\s+|import\s*\(\s*|import\s+)(['"])([^'"]+)\1/g;

/**
 * The declaration files reachable from the entries, relative to `types`; throws when one imports
 * a package that is not a dependency (a user's compiler would not find it).
 */
function reachableDeclarations(types, entries, declared, self) {
  const seen = new Set();
  const queue = entries.map((e) => e.replace(/^src\//, '').replace(/\.ts$/, '.d.ts'));
  const problems = [];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(types, file), 'utf8');
    for (const [, , specifier] of text.matchAll(importPattern)) {
      if (specifier.startsWith('.')) {
        const target = relative(types, resolve(dirname(join(types, file)), specifier.replace(/\.(ts|js)$/, '.d.ts')));
        if (!existsSync(join(types, target))) problems.push(`${file} imports ${specifier}, which has no types`);
        else queue.push(target);
        continue;
      }
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      const builtin = specifier.startsWith('node:') || builtinModules.includes(name);
      if (!builtin && !declared.has(name) && name !== self) {
        problems.push(`${file} imports ${specifier}: add it to dependencies or keep it out of the public types`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`The types of ${self} would not resolve:\n  ${problems.join('\n  ')}`);
  return [...seen].sort();
}

/** `./client.ts` → `./client.js`: what the shipped files are called. */
function rewriteSpecifiers(text) {
  return text.replace(importPattern, (match, quote, specifier) =>
    specifier.startsWith('.')
      ? match.replace(`${quote}${specifier}${quote}`, `${quote}${specifier.replace(/\.ts$/, '.js')}${quote}`)
      : match,
  );
}

/** Every tarball carries the licence and the changelog: npm packs a package's own files, not the repository's. */
export function copyLicense(dir) {
  for (const file of ['LICENSE', 'CHANGELOG.md']) cpSync(join(repoRoot, file), join(dir, file));
}
