// Strict TypeScript consumers of @tessera/node and @tessera/browser, compiled in a user's project
// against the installed types: as an ES module, as CommonJS and with bundler resolution.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, fixture, type Project } from './helpers/project.ts';

const root = new URL('../../', import.meta.url).pathname;
const tsc = join(root, 'node_modules/typescript/bin/tsc');
/** The @types/node the checkout uses, so the install comes from npm's cache. */
const typesNode = `@types/node@${JSON.parse(readFileSync(join(root, 'node_modules/@types/node/package.json'), 'utf8')).version}`;

const modes = {
  esm: { file: 'index.mts', module: 'nodenext', moduleResolution: 'nodenext', build: 'esm' },
  cjs: { file: 'index.cts', module: 'nodenext', moduleResolution: 'nodenext', build: 'cjs' },
  bundler: { file: 'index.ts', module: 'esnext', moduleResolution: 'bundler', build: 'esm' },
} as const;
const sdks = {
  node: { package: '@tessera/node', lib: ['ES2022'], types: ['node'] },
  // No Node types: a page's code must compile with the DOM alone.
  browser: { package: '@tessera/browser', lib: ['ES2022', 'DOM'], types: [] },
} as const;

describe('strict TypeScript consumers of the installed packages', () => {
  let project: Project;
  beforeAll(async () => {
    project = await createProject(
      ['@tessera/protocol', '@tessera/sdk-core', '@tessera/browser', '@tessera/node'],
      [typesNode],
    );
  });
  afterAll(() => project?.remove());

  for (const [sdk, { package: name, lib, types }] of Object.entries(sdks)) {
    for (const [mode, { file, module, moduleResolution, build }] of Object.entries(modes)) {
      it(`${name}, ${mode} (${file}, moduleResolution ${moduleResolution}): compiles, with its expected errors`, async () => {
        const dir = `types/${sdk}-${mode}`;
        project.write(`${dir}/${file}`, fixture(`${sdk}-consumer.ts`));
        project.write(
          `${dir}/tsconfig.json`,
          JSON.stringify({
            compilerOptions: {
              strict: true,
              target: 'ES2022',
              module,
              moduleResolution,
              lib,
              types,
              noEmit: true,
              // The shipped declarations are checked too, as a careful user's compiler does.
              skipLibCheck: false,
            },
            files: [file],
          }),
        );
        const result = await project
          .exec(process.execPath, [tsc, '-p', `${dir}/tsconfig.json`, '--listFiles'])
          .catch((err: { stdout?: string; stderr?: string }) => ({ failed: `${err.stdout}${err.stderr}` }));
        if ('failed' in result) expect.fail(`tsc found errors in a consumer of ${name}:\n${result.failed}`);
        // The compiler read the installed declarations of the build this mode resolves to.
        const files = result.stdout.split('\n').filter((f) => f.includes('/node_modules/@tessera/'));
        expect(files).toContain(join(realpathSync(project.dir), `node_modules/${name}/dist/${build}/index.d.ts`));
        expect(files.filter((f) => !f.includes(`/dist/${build}/`))).toEqual([]);
      });
    }
  }
});
