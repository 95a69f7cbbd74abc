// Per-environment allowed browser origins: open by default; a listed origin works with CORS
// headers; another origin is refused ORIGIN_NOT_ALLOWED (REST 403, GraphQL DashX-style) with CORS
// headers and nothing stored; a request without Origin is never refused; preflights answer from
// the union of every environment's list, updated by the admin API at once; bad origins are 400.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACK, accountOf } from '../helpers/graphql.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.ts';

const SHOP = 'https://shop.example.com';
const OTHER = 'https://elsewhere.example.net';

describe('allowed origins', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const headers = (publicKey: string, origin?: string) => ({
    'content-type': 'application/json',
    'x-public-key': publicKey,
    ...(origin === undefined ? {} : { origin }),
  });
  /** POST /v1/track for a fresh visitor; returns the answer and the visitor's anonymous uid. */
  const track = async (publicKey: string, origin?: string) => {
    const anonymousUid = randomUUID();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: headers(publicKey, origin),
      payload: JSON.stringify({ messageId: randomUUID(), anonymousUid, event: 'Origin Check' }),
    });
    return { res, anonymousUid };
  };
  const graphqlTrack = async (publicKey: string, origin?: string) => {
    const anonymousUid = randomUUID();
    const res = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: headers(publicKey, origin),
      payload: JSON.stringify({
        query: TRACK,
        variables: { input: { event: 'Origin Check', accountAnonymousUid: anonymousUid } },
      }),
    });
    return { res, anonymousUid };
  };
  const preflight = (origin: string, url = '/v1/batch') =>
    server.app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-public-key',
      },
    });
  const stored = async (environment: string, anonymousUid: string) =>
    (await accountOf(server, environment, `anonymousUid=${anonymousUid}`)) !== undefined;
  const setOrigins = (environment: string, allowedOrigins: string[] | null) =>
    server.admin('PATCH', `/environments/${environment}`, { allowedOrigins });

  it('is open by default: any origin may ingest, and preflights from any origin pass', async () => {
    const env = await server.admin('GET', '/environments/production');
    expect(env.body).toMatchObject({ allowedOrigins: null, rateLimitPerKey: null });
    const { res, anonymousUid } = await track(server.production.publicKey, OTHER);
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(OTHER);
    expect(await stored('production', anonymousUid)).toBe(true);
    const pre = await preflight(OTHER);
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(OTHER);
    expect(pre.headers['access-control-allow-headers']).toContain('x-public-key');
    expect(pre.headers['access-control-max-age']).toBe('86400');
  });

  it('stores a list normalised (case, default port, duplicates) and shows it in the admin API', async () => {
    const set = await setOrigins('production', ['HTTPS://Shop.Example.COM:443', SHOP, 'https://*.preview.example.com']);
    expect(set.status).toBe(200);
    expect(set.body.allowedOrigins).toEqual([SHOP, 'https://*.preview.example.com']);
    const read = await server.admin('GET', '/environments/production');
    expect(read.body.allowedOrigins).toEqual([SHOP, 'https://*.preview.example.com']);
    const listed = await server.admin('GET', '/environments');
    expect(listed.body.environments.find((e: { name: string }) => e.name === 'production').allowedOrigins).toEqual([
      SHOP,
      'https://*.preview.example.com',
    ]);
  });

  it('accepts a listed origin (and a subdomain of a wildcard) with CORS headers, REST and GraphQL', async () => {
    for (const origin of [SHOP, 'https://pr-12.preview.example.com']) {
      const rest = await track(server.production.publicKey, origin);
      expect(rest.res.statusCode).toBe(200);
      expect(rest.res.headers['access-control-allow-origin']).toBe(origin);
      expect(rest.res.headers['access-control-expose-headers']).toBe('retry-after');
      expect(await stored('production', rest.anonymousUid)).toBe(true);
      const graphql = await graphqlTrack(server.production.publicKey, origin);
      expect(graphql.res.json()).toEqual({ data: { trackEvent: { success: true } } });
      expect(graphql.res.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it('refuses another origin 403 ORIGIN_NOT_ALLOWED with CORS headers, and stores nothing', async () => {
    // The wildcard's own domain, another port and another scheme are other origins too.
    for (const origin of [
      OTHER,
      'https://preview.example.com',
      'https://shop.example.com:8443',
      'http://shop.example.com',
      'null',
    ]) {
      const { res, anonymousUid } = await track(server.production.publicKey, origin);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        error: {
          code: 'ORIGIN_NOT_ALLOWED',
          message: expect.stringContaining('production'),
          requestId: expect.any(String),
        },
      });
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-expose-headers']).toBe('retry-after');
      expect(await stored('production', anonymousUid)).toBe(false);
    }
    const batch = await server.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: headers(server.production.publicKey, OTHER),
      payload: JSON.stringify({
        batch: [{ type: 'identify', anonymousUid: randomUUID(), traits: { email: 'x@example.com' } }],
      }),
    });
    expect(batch.statusCode).toBe(403);
    expect(batch.json().error.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('answers GraphQL DashX-style: HTTP 200 with extensions.code ORIGIN_NOT_ALLOWED, CORS headers, nothing stored', async () => {
    const { res, anonymousUid } = await graphqlTrack(server.production.publicKey, OTHER);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: expect.stringContaining('is not among the allowed origins'),
          extensions: expect.objectContaining({ code: 'ORIGIN_NOT_ALLOWED' }),
        }),
      ],
    });
    expect(res.headers['access-control-allow-origin']).toBe(OTHER);
    expect(await stored('production', anonymousUid)).toBe(false);
  });

  it('never refuses a request without Origin (backends, the Node SDK), nor another, open environment', async () => {
    const rest = await track(server.production.publicKey);
    expect(rest.res.statusCode).toBe(200);
    expect(await stored('production', rest.anonymousUid)).toBe(true);
    const graphql = await graphqlTrack(server.production.publicKey);
    expect(graphql.res.json().errors).toBeUndefined();
    const staging = await track(server.staging.publicKey, OTHER);
    expect(staging.res.statusCode).toBe(200);
  });

  it('answers preflights from the union of every list, updated by the admin API without a restart', async () => {
    // staging is still open: every origin may preflight.
    expect((await preflight(OTHER)).headers['access-control-allow-origin']).toBe(OTHER);

    expect((await setOrigins('staging', ['https://staging.example.com'])).status).toBe(200);
    const refused = await preflight(OTHER);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight(OTHER, '/graphql')).headers['access-control-allow-origin']).toBeUndefined();
    for (const origin of [SHOP, 'https://staging.example.com', 'https://a.preview.example.com']) {
      const pre = await preflight(origin, '/graphql');
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(origin);
    }
    // The admin API and dashboard keep answering any origin, as before.
    const admin = await preflight(OTHER, '/admin/api/environments');
    expect(admin.statusCode).toBe(204);
    expect(admin.headers['access-control-allow-origin']).toBe('*');

    // A new environment is open, and so is the union again.
    await server.admin('POST', '/environments', { name: 'open-again' });
    expect((await preflight(OTHER)).headers['access-control-allow-origin']).toBe(OTHER);
    await setOrigins('open-again', [SHOP]);
    expect((await preflight(OTHER)).statusCode).toBe(403);
    // null (or []) opens an environment again.
    expect((await setOrigins('staging', [])).body.allowedOrigins).toBeNull();
    expect((await preflight(OTHER)).headers['access-control-allow-origin']).toBe(OTHER);
  });

  it('refuses bad origins 400 INVALID_INPUT with a clear message, and changes nothing', async () => {
    const before = (await server.admin('GET', '/environments/production')).body.allowedOrigins;
    const bad: Array<[string, RegExp]> = [
      ['https://shop.example.com/', /has a path, query or fragment: use https:\/\/shop\.example\.com/],
      ['https://shop.example.com/checkout', /has a path/],
      ['https://shop.example.com?x=1', /has a path, query or fragment/],
      ['shop.example.com', /is not an origin: an allowed origin is scheme:\/\/host\[:port\]/],
      ['*', /is not an origin/],
      ['https://*', /the only wildcard allowed is a leading "\*\."/],
      ['https://*.com', /the only wildcard allowed/],
      ['https://shop*.example.com', /the only wildcard allowed/],
      ['https://a.*.example.com', /the only wildcard allowed/],
      ['https://user:pass@shop.example.com', /no user name or password/],
      ['https://shop.example.com:99999', /is not an origin/],
      ['', /Not an origin/],
    ];
    for (const [origin, message] of bad) {
      const res = await setOrigins('production', [SHOP, origin]);
      expect({ origin, status: res.status, code: res.body.error.code }).toEqual({
        origin,
        status: 400,
        code: 'INVALID_INPUT',
      });
      expect(res.body.error.message).toMatch(message);
    }
    expect((await server.admin('GET', '/environments/production')).body.allowedOrigins).toEqual(before);
    const tooMany = await setOrigins(
      'production',
      Array.from({ length: 101 }, (_, i) => `https://s${i}.example.com`),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 100 allowed origins/);

    const created = await server.admin('POST', '/environments', {
      name: 'bad-origins',
      allowedOrigins: ['https://a.example.com/x'],
    });
    expect(created.status).toBe(400);
    expect((await server.admin('GET', '/environments/bad-origins')).status).toBe(404);
  });

  it('accepts other schemes browsers and app shells send (http on localhost, capacitor://)', async () => {
    await server.admin('POST', '/environments', { name: 'app-shells' });
    const res = await setOrigins('app-shells', [
      'http://LOCALHOST:3000',
      'http://127.0.0.1:8080',
      'capacitor://localhost',
      'https://[::1]:8443',
    ]);
    expect(res.body.allowedOrigins).toEqual([
      'http://localhost:3000',
      'http://127.0.0.1:8080',
      'capacitor://localhost',
      'https://[::1]:8443',
    ]);
  });
});

describe('allowed origins under TESSERA_BASE_PATH', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ basePath: '/tessera' });
  });
  afterAll(() => server.close());

  it('answers preflights of the prefixed SDK routes from the union, and the admin API as before', async () => {
    const preflight = (url: string) =>
      server.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: OTHER, 'access-control-request-method': 'POST' },
      });
    for (const name of ['production', 'staging']) {
      const res = await server.app.inject({
        method: 'PATCH',
        url: `/tessera/admin/api/environments/${name}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ allowedOrigins: [SHOP] }),
      });
      expect(res.statusCode).toBe(200);
    }
    for (const url of ['/tessera/v1/batch', '/tessera/graphql', '/tessera/']) {
      expect({ url, status: (await preflight(url)).statusCode }).toEqual({ url, status: 403 });
    }
    expect((await preflight('/tessera/admin/api/environments')).headers['access-control-allow-origin']).toBe('*');
  });
});
