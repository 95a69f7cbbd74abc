// Size benchmark: @tessera/browser's script-tag bundle beside @dashx/browser, posthog-js and
// @segment/analytics-next, each bundled by esbuild with the same settings (ES2020, minified,
// IIFE, browser) and gzipped at level 9. A benchmark, not a test: it prints, it does not fail.
// Budget: 5 KB (5,000 bytes) min+gzip for ours, both as the script tag and as a bundler user gets
// it: `createClient` imported from the package's built ES module (dist/esm, built first) and
// minified by esbuild as an app's bundler would.
//   node bench/sdk-size.mjs [--json]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { common, iifeOptions } from '../packages/sdk-browser/scripts/build.mjs';

const BUDGET = 5000;
const require = createRequire(import.meta.url);

/** What each competitor's users write in a page, bundled as an IIFE like ours. */
const others = [
  { name: '@dashx/browser', entry: "import DashX from '@dashx/browser'; globalThis.DashX = DashX;" },
  { name: 'posthog-js', entry: "import posthog from 'posthog-js'; globalThis.posthog = posthog;" },
  {
    name: '@segment/analytics-next',
    entry: "import { AnalyticsBrowser } from '@segment/analytics-next'; globalThis.analytics = AnalyticsBrowser;",
  },
];

const measure = (bytes) => ({ min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    // Some packages do not export their package.json: find it next to the entry point.
    try {
      const entry = require.resolve(name);
      const root = entry.slice(0, entry.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length);
      return JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version;
    } catch {
      return undefined;
    }
  }
}

/** The guide's browser calls, as an app imports them. */
const guideCalls = `
  import { createClient } from '@tessera/browser';
  const tessera = createClient({ publicKey: 'pk_…', baseUri: 'https://tessera.example.com' });
  tessera.identify({ email: 'ada@example.com' });
  tessera.track('Viewed Pricing', { plan: 'pro' });
  tessera.setIdentity('user-1', 'token');
  tessera.reset();
`;

const rows = [];
const browserDir = fileURLToPath(new URL('../packages/sdk-browser/', import.meta.url));
const version = JSON.parse(readFileSync(`${browserDir}package.json`, 'utf8')).version;
// The package as published: its dist/, and that of the packages it builds on.
execFileSync(process.execPath, ['scripts/build.mjs', '@tessera/browser'], {
  cwd: fileURLToPath(new URL('../', import.meta.url)),
  stdio: 'ignore',
});
const scriptTag = await build({ ...iifeOptions, write: false, logLevel: 'silent' });
rows.push({ name: '@tessera/browser', version, ...measure(scriptTag.outputFiles[0].contents) });
/** Bundles `entry` from the browser package's folder as an app's bundler would (esbuild, minified ES module). */
const bundled = async (entry) => {
  const out = await build({
    stdin: { contents: entry, resolveDir: browserDir, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return measure(out.outputFiles[0].contents);
};
// What the guide's calls pull in: createClient and the client it returns (one object: nothing
// in it can be shaken off). The budget applies to this, as to the script tag.
rows.push({
  name: '  import { createClient }',
  version,
  ...(await bundled("export { createClient } from '@tessera/browser';")),
});
// The same with the guide's calls themselves, for comparison: that difference is the app's own code.
rows.push({ name: "  + the guide's calls", version, ...(await bundled(guideCalls)) });
for (const { name, entry } of others) {
  const version = versionOf(name);
  if (!version) {
    rows.push({ name, version: 'not installed' });
    continue;
  }
  try {
    const out = await build({
      ...common,
      stdin: { contents: entry, resolveDir: process.cwd(), loader: 'js' },
      format: 'iife',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    rows.push({ name, version, ...measure(out.outputFiles[0].contents) });
  } catch (err) {
    rows.push({ name, version, error: String(err.message ?? err).split('\n')[0] });
  }
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ budget: BUDGET, rows }, null, 2));
} else {
  const kb = (n) => (n === undefined ? '' : `${(n / 1000).toFixed(2)} kB`);
  const base = rows[0].gzip;
  console.log('SDK bundle size (esbuild, ES2020, minified IIFE; gzip -9)\n');
  console.log(`${'package'.padEnd(26)}${'version'.padEnd(16)}${'min'.padStart(11)}${'min+gzip'.padStart(11)}  vs ours`);
  for (const r of rows) {
    const ratio = r.gzip ? `${(r.gzip / base).toFixed(1)}×` : (r.error ?? '');
    console.log(
      `${r.name.padEnd(26)}${r.version.padEnd(16)}${kb(r.min).padStart(11)}${kb(r.gzip).padStart(11)}  ${ratio}`,
    );
  }
  const verdict = (bytes) => `${bytes <= BUDGET ? 'within' : 'OVER'} (${bytes} bytes)`;
  console.log(`\nbudget for @tessera/browser: ${kb(BUDGET)} min+gzip`);
  console.log(`  script tag: ${verdict(base)}`);
  console.log(`  imported by a bundler: ${verdict(rows[1].gzip)}`);
  console.log(`  (an app bundle with the guide's calls: ${rows[2].gzip} bytes, the calls' own code included)`);
}
