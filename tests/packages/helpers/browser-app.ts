/**
 * A user's page built from an installed @tessera/browser: the repo's esbuild bundles a page script
 * written into the project, resolving packages from the project's node_modules with a bundler's
 * default conditions (not @tessera/source), and a page that configures the client.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { Project } from './project.ts';

/** The page's script: one client, from the options the page put in `window.tesseraOptions`. */
const appSource = `import { createClient } from '@tessera/browser';

window.tesseraErrors = [];
window.tessera = createClient({
  ...window.tesseraOptions,
  onError: (error) => window.tesseraErrors.push(error.code + ': ' + error.message),
});
`;

/** Bundles the page script; returns the JavaScript and the files it was made of (relative to the project). */
export async function bundleBrowserApp(project: Project): Promise<{ js: string; inputs: string[] }> {
  project.write('src/app.js', appSource);
  const result = await build({
    absWorkingDir: project.dir,
    nodePaths: [join(project.dir, 'node_modules')],
    entryPoints: ['src/app.js'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { js: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs).sort() };
}

/** An HTML page that loads the bundle at /app.js with these client options. */
export function appPage(options: Record<string, unknown>): [string, string] {
  return [
    'text/html; charset=utf-8',
    `<!doctype html><meta charset="utf-8"><title>A page with Tessera</title>
<script>window.tesseraOptions = ${JSON.stringify(options)};</script>
<script src="/app.js"></script>`,
  ];
}

/** Calls on the page's client (`window.tessera`), and what it reported to onError. */
export function client(page: Page) {
  return {
    anonymousUid: () => page.evaluate(() => (window as any).tessera.anonymousUid as string),
    uid: () => page.evaluate(() => (window as any).tessera.uid as string | null),
    identify: (traits: Record<string, unknown>) => page.evaluate((t) => (window as any).tessera.identify(t), traits),
    track: (event: string, data?: Record<string, unknown>) =>
      page.evaluate(([e, d]) => (window as any).tessera.track(e, d), [event, data] as const),
    setIdentity: (uid: string, token: string) =>
      page.evaluate(([u, t]) => (window as any).tessera.setIdentity(u, t), [uid, token] as const),
    reset: () => page.evaluate(() => (window as any).tessera.reset()),
    flush: () => page.evaluate(() => (window as any).tessera.flush()),
    errors: () => page.evaluate(() => (window as any).tesseraErrors as string[]),
  };
}
