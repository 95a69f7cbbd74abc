/**
 * The production build: the server and CLI as one ES module, `dist/cli.js` (esbuild), behind
 * `dist/tessera.js`, which puts libraries in production mode first. Dependencies stay in
 * node_modules; only the workspace's own TypeScript packages are bundled in.
 * Why: the sources run through tsx in development, whose loader thread costs ~70 MiB and its
 * start-up; see docs/decisions.md. Usage: `npm run build -w @tessera/server`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const dir = new URL('./', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@tessera/'));

const started = performance.now();
await build({
  entryPoints: [new URL('src/cli/main.ts', dir).pathname],
  outfile: new URL('dist/cli.js', dir).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
});
// ES imports are evaluated before the importing module's code, so NODE_ENV is set here, in a
// module that imports the CLI only once it is set (graphql-js reads it when it loads).
writeFileSync(
  new URL('dist/tessera.js', dir),
  `#!/usr/bin/env node
// Built by packages/server/build.mjs. Production mode unless NODE_ENV says otherwise.
process.env.NODE_ENV ??= 'production';
await import('./cli.js');
`,
  { mode: 0o755 },
);
console.log(`Built packages/server/dist/tessera.js in ${Math.round(performance.now() - started)} ms`);
