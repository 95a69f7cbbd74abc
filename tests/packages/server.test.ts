// @tessera/server installed alone into an empty folder: `npx tessera serve`, and the same server under
// Node's permission model (reading only its node_modules and data dir), serve the API and the built dashboard.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchChromium } from '../helpers/chromium.ts';
import { eventNames, storedAccount } from './helpers/accounts.ts';
import { createProject, type Project } from './helpers/project.ts';
import { startServer, type ServerProcess } from './helpers/server.ts';

const TRACK = 'mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }';

describe('@tessera/server installed alone', () => {
  let project: Project;
  let dir: string;
  let version: string;
  let browser: Browser;
  const servers: Record<string, ServerProcess> = {};

  /**
   * Node 20's permission model: reads only below node_modules (the package and its dependencies;
   * not even the project's package.json) and the data dir; writes only in `state/`, which holds the
   * data dir and the lock file the server keeps beside it (`state/data.lock`). No workers, child
   * processes or other grants are needed.
   */
  const permissionModel = (state: string) => [
    '--experimental-permission',
    `--allow-fs-read=${dir}/node_modules/*`,
    `--allow-fs-read=${state}/*`,
    `--allow-fs-write=${state}/*`,
  ];
  const bin = () => join(dir, 'node_modules/@tessera/server/bin/tessera.js');

  beforeAll(async () => {
    const started = performance.now();
    project = await createProject(['@tessera/server']);
    const server = await startServer(project.dir);
    const healthz = await eventually(async () => ((await fetch(`${server.url}/healthz`)).ok ? true : undefined));
    const total = performance.now() - started;
    servers.npx = server;
    console.log(
      `@tessera/server from an empty folder to the first /healthz 200: ${(total / 1000).toFixed(1)} s ` +
        `(npm install ${(project.installMs / 1000).toFixed(1)} s, then \`npx tessera serve\` ${((total - project.installMs) / 1000).toFixed(1)} s)`,
    );
    expect(healthz).toBe(true);
    dir = realpathSync(project.dir);
    version = JSON.parse(readFileSync(join(dir, 'node_modules/@tessera/server/package.json'), 'utf8')).version;
    const state = join(dir, 'state');
    mkdirSync(state);
    servers.permission = await startServer(dir, {
      command: [process.execPath, ...permissionModel(state), bin(), 'serve', '--port', '0'],
      env: { DATABASE_URL: `pglite://${state}/data` },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    project?.remove();
  });

  it('`tessera --version` prints the package version', async () => {
    const answer = await project
      .exec('npx', ['tessera', '--version'])
      .catch((err: { stdout: string; stderr: string }) => ({ stdout: err.stdout, stderr: err.stderr }));
    expect(
      answer.stdout.trim(),
      `docs/deploy.md has users run \`tessera --version\`; it printed:\n${answer.stdout}${answer.stderr}`,
    ).toBe(version);
  });

  it('under the permission model, a data dir outside the allowed folders is refused', async () => {
    const state = join(dir, 'state');
    const refused = await startServer(dir, {
      command: [process.execPath, ...permissionModel(state), bin(), 'serve', '--port', '0'],
      env: { DATABASE_URL: `pglite://${join(dir, 'elsewhere', 'data')}` },
    }).then(
      async (server) => {
        await server.stop();
        return 'it started';
      },
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/Access to this API has been restricted|ERR_ACCESS_DENIED/);
  });

  for (const [run, title] of [
    ['npx', '`npx tessera serve` (memory://)'],
    ['permission', '`node --experimental-permission … tessera.js serve` (pglite:// in state/)'],
  ] as const) {
    describe(title, () => {
      const server = () => servers[run]!;

      it('/healthz and /readyz answer', async () => {
        for (const path of ['/healthz', '/readyz']) {
          const res = await fetch(`${server().url}${path}`);
          expect(res.status, `${path}: ${await res.clone().text()}\n${server().output()}`).toBe(200);
          expect(await res.json()).toEqual({ status: 'ok' });
        }
      });

      it('stores what a public key sends to /v1/batch and to GraphQL trackEvent', async () => {
        const { publicKey } = await server().createEnvironment('api');
        const anonymousUid = randomUUID();
        const headers = { 'content-type': 'application/json', 'x-public-key': publicKey };
        const batch = await fetch(`${server().url}/v1/batch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            batch: [{ type: 'track', messageId: randomUUID(), anonymousUid, event: 'Batch Sent', data: { n: 1 } }],
          }),
        });
        expect(await batch.json()).toEqual({ accepted: 1, rejected: [] });
        const graphql = await fetch(`${server().url}/graphql`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            query: TRACK,
            variables: { input: { event: 'GraphQL Tracked', accountAnonymousUid: anonymousUid } },
          }),
        });
        expect(await graphql.json()).toEqual({ data: { trackEvent: { success: true } } });
        const visitor = await storedAccount(
          server(),
          'api',
          `anonymousUid=${anonymousUid}`,
          (a) => a.events.length >= 2,
        );
        expect(eventNames(visitor)).toEqual(['Batch Sent', 'GraphQL Tracked']);
      });

      it('serves the built dashboard: its index.html at / and every asset it references', async () => {
        const installed = (path: string) =>
          readFileSync(join(dir, 'node_modules/@tessera/server/dist/dashboard', path));
        const res = await fetch(`${server().url}/`, { headers: { accept: 'text/html' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await res.text();
        expect(html).not.toContain('The dashboard is not built yet');
        // The server serves the built index.html with its asset URLs made absolute under the base
        // path (none here) and a meta tag telling the app that base path.
        expect(html).toContain('<meta name="tessera-base-path" content="" />');
        expect(html.replace(/\n\s*<meta name="tessera-base-path" content="" \/>/, '')).toBe(
          installed('index.html')
            .toString()
            .replace(/((?:src|href)=")\.\//g, '$1/'),
        );
        const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
        expect(assets.filter((a) => a.endsWith('.js')).length, html).toBeGreaterThan(0);
        for (const asset of assets) {
          const file = await fetch(`${server().url}${asset}`);
          expect(file.status, asset).toBe(200);
          if (asset.endsWith('.js')) expect(file.headers.get('content-type')).toMatch(/^text\/javascript/);
          expect(Buffer.from(await file.arrayBuffer()).equals(installed(asset)), asset).toBe(true);
        }
      });

      it('the dashboard runs in Chromium: the first-operator setup page, no errors', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
        await page.goto(`${server().url}/`);
        await page.getByRole('heading', { name: 'Create the operator account' }).waitFor();
        await context.close();
        expect(errors).toEqual([]);
      });
    });
  }
});
