// Size benchmark: @tessera/browser's script-tag bundle beside @dashx/browser, posthog-js and
// @segment/analytics-next, each bundled by esbuild with the same settings (ES2020, minified,
// IIFE, browser) and gzipped at level 9. A benchmark, not a test: it prints, it does not fail.
// Budget: 5 KB (5,000 bytes) min+gzip for ours.
//   node bench/sdk-size.mjs [--json]
import { build } from 'esbuild';
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

const rows = [];
const ours = await build({ ...iifeOptions, write: false, logLevel: 'silent' });
rows.push({
  name: '@tessera/browser',
  version: JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('../packages/sdk-browser/package.json')), 'utf8'))
    .version,
  ...measure(ours.outputFiles[0].contents),
});
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
  console.log(
    `\nbudget for @tessera/browser: ${kb(BUDGET)} min+gzip — ${base <= BUDGET ? 'within' : 'OVER'} (${base} bytes)`,
  );
}
