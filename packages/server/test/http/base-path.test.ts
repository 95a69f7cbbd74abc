// TESSERA_BASE_PATH: every API, the health checks and the dashboard under one prefix, nothing
// outside it. The dashboard in Chromium under the prefix: test/dashboard/dashboard-e2e.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { dashboardStatic } from '../../src/http/dashboard-static.ts';
import { TRACK } from '../helpers/graphql.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.ts';

describe('TESSERA_BASE_PATH=/tessera', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ basePath: '/tessera' });
  });
  afterAll(() => server.close());

  const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers });
  const track = (url: string) =>
    server.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-public-key': server.production.publicKey },
      payload: JSON.stringify({
        query: TRACK,
        variables: { input: { event: 'Page Viewed', accountAnonymousUid: 'anon-base-path-1' } },
      }),
    });

  it('serves the health checks, the SDK endpoints and the admin API under the prefix only', async () => {
    expect((await get('/tessera/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/tessera/readyz')).statusCode).toBe(200);
    expect((await track('/tessera/graphql')).json()).toEqual({ data: { trackEvent: { success: true } } });
    expect((await track('/tessera')).json()).toEqual({ data: { trackEvent: { success: true } } });
    const admin = await get('/tessera/admin/api/environments', { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(admin.statusCode).toBe(200);
    const backend = await get('/tessera/v1/accounts/nobody', {
      'x-public-key': server.production.publicKey,
      'x-private-key': server.production.privateKey,
    });
    expect(backend.statusCode).toBe(404);
    expect(backend.json().error.code).toBe('NOT_FOUND');
    expect(backend.json().error.message).not.toMatch(/No route/);

    for (const url of ['/healthz', '/readyz', '/admin/api/environments', '/v1/accounts/nobody']) {
      const res = await get(url, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect((await track('/graphql')).statusCode).toBe(404);
    expect((await get('/', { accept: 'text/html' })).statusCode).toBe(404);
    expect((await get('/tesserax/healthz')).statusCode).toBe(404);
  });
});

describe('the dashboard under a base path', () => {
  // A build as Vite makes it with `base: './'`: relative asset URLs.
  const root = mkdtempSync(join(tmpdir(), 'tessera-dashboard-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html>\n<html>\n  <head>\n    <script type="module" crossorigin src="./assets/index-1.js"></script>\n' +
      '    <link rel="stylesheet" crossorigin href="./assets/index-1.css">\n  </head>\n  <body></body>\n</html>\n',
  );
  writeFileSync(join(root, 'assets', 'index-1.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-1.css'), 'body{}');

  const appUnder = async (basePath: string) => {
    const app = Fastify();
    await app.register(dashboardStatic({ root, basePath }), { prefix: basePath });
    return app;
  };

  it('serves index.html with absolute asset URLs under the prefix and names the prefix in a meta tag', async () => {
    const app = await appUnder('/tessera');
    for (const url of ['/tessera/', '/tessera', '/tessera/e/production/overview']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<meta name="tessera-base-path" content="/tessera" />');
      expect(res.body).toContain('src="/tessera/assets/index-1.js"');
      expect(res.body).toContain('href="/tessera/assets/index-1.css"');
      expect(res.body).not.toContain('"./');
    }
    expect((await app.inject({ url: '/tessera/assets/index-1.js' })).body).toBe('console.log(1)');
    expect((await app.inject({ url: '/assets/index-1.js' })).statusCode).toBe(404);
    // The API prefixes stay JSON 404s under the base path too.
    expect((await app.inject({ url: '/tessera/admin/api/nothing', headers: { accept: 'text/html' } })).statusCode).toBe(
      404,
    );
    await app.close();
  });

  it('serves the same build at / without a base path', async () => {
    const app = await appUnder('');
    const res = await app.inject({ url: '/e/production/people', headers: { accept: 'text/html' } });
    expect(res.body).toContain('src="/assets/index-1.js"');
    expect(res.body).toContain('<meta name="tessera-base-path" content="" />');
    expect((await app.inject({ url: '/assets/index-1.css' })).statusCode).toBe(200);
    await app.close();
  });
});

describe('TESSERA_BASE_PATH validation', () => {
  const basePath = (value: string) => loadConfig({}, { TESSERA_BASE_PATH: value }).basePath;
  it('accepts a path prefix, or none', () => {
    expect(basePath('/tessera')).toBe('/tessera');
    expect(basePath('/tools/tessera-1.0')).toBe('/tools/tessera-1.0');
    expect(basePath('/')).toBe('');
    expect(loadConfig({}, {}).basePath).toBe('');
    expect(loadConfig({ basePath: '/flag' }, { TESSERA_BASE_PATH: '/env' }).basePath).toBe('/flag');
  });
  it('refuses a bad prefix with one line naming the setting', () => {
    expect(() => basePath('tessera')).toThrow(
      /^TESSERA_BASE_PATH must start with \/ \(e\.g\. \/tessera\), got "tessera"$/,
    );
    expect(() => basePath('/tessera/')).toThrow(/^TESSERA_BASE_PATH must not end with \//);
    expect(() => basePath('/a/../b')).toThrow(/^TESSERA_BASE_PATH must not contain empty, \. or \.\. segments/);
    expect(() => basePath('//evil.example')).toThrow(/^TESSERA_BASE_PATH must not contain empty/);
    expect(() => basePath('/a b')).toThrow(/^TESSERA_BASE_PATH may only contain/);
    expect(() => basePath('/"><script>')).toThrow(/^TESSERA_BASE_PATH may only contain/);
  });
});
