// Request logs and ids: one line per request, X-Request-Id in and out, and no secret in any log line.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type TesseraServer } from '../../src/server.ts';
import { signJwt } from '../../src/tokens/sign.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { IDENTIFY, TRACK } from '../helpers/graphql.ts';

const ADMIN_TOKEN = 'log-test-admin-token-7f3a9c2e5b';
const EMAIL = 'ops@example.com';
const PASSWORD = 'a very secret passphrase 42';
const WRONG_PASSWORD = 'a wrong passphrase guess 17';

describe('request logs', () => {
  let server: TesseraServer;
  let dropDatabase: () => Promise<void>;
  const lines: string[] = [];
  let publicKey: string;
  let privateKey: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    server = await createServer({
      databaseUrl: database.url,
      adminToken: ADMIN_TOKEN,
      port: 0,
      logLevel: 'trace',
      logDestination: { write: (line) => void lines.push(line) },
    });
    const production = server.firstStart!.environments.find((e) => e.environment.name === 'production')!;
    publicKey = production.keyPair.publicKey;
    privateKey = production.keyPair.privateKey;
  });
  afterAll(async () => {
    await server.close();
    await dropDatabase();
  });

  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: { 'content-type': 'application/json', ...headers },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
  /** The lines so far, once onResponse hooks (which run after inject resolves) have logged. */
  const logged = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  it('logs one line per completed request with method, route, status, duration and request id', async () => {
    const res = await call('GET', '/healthz', { 'x-request-id': 'lb-7f3a-0001' });
    expect(res.headers['x-request-id']).toBe('lb-7f3a-0001');
    const line = (await logged()).find((l) => l.requestId === 'lb-7f3a-0001' && l.msg === 'request completed');
    expect(line).toMatchObject({ level: 30, method: 'GET', route: '/healthz', status: 200 });
    expect(typeof line!.ms).toBe('number');
    expect((await logged()).filter((l) => l.requestId === 'lb-7f3a-0001')).toHaveLength(1);
  });

  it('ignores an insane X-Request-Id and generates one; error bodies carry the id', async () => {
    for (const bad of ['has spaces in it', 'x'.repeat(129), 'tab\there', 'ünïcode']) {
      const res = await call('GET', '/no/such/route', { 'x-request-id': bad });
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', requestId: id });
    }
    const res = await call('GET', '/no/such/route');
    expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
    expect((await logged()).find((l) => l.requestId === res.headers['x-request-id'])).toMatchObject({
      route: 'unmatched',
      status: 404,
    });
  });

  it('never logs a password, token, key or cookie, even at trace level', async () => {
    const setup = await call('POST', '/admin/api/session/setup', {}, { email: EMAIL, password: PASSWORD });
    expect(setup.statusCode).toBe(201);
    const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
    const csrf = setup.json().csrfToken as string;
    expect((await call('POST', '/admin/api/session', {}, { email: EMAIL, password: WRONG_PASSWORD })).statusCode).toBe(
      401,
    );
    expect((await call('POST', '/admin/api/session', {}, { email: EMAIL, password: PASSWORD })).statusCode).toBe(200);
    expect((await call('GET', '/admin/api/environments', { cookie, 'x-csrf-token': csrf })).statusCode).toBe(200);
    expect((await call('GET', '/admin/api/environments', { authorization: `Bearer ${ADMIN_TOKEN}` })).statusCode).toBe(
      200,
    );
    expect((await call('GET', '/admin/api/environments', { authorization: `Bearer ${ADMIN_TOKEN}x` })).statusCode).toBe(
      401,
    );

    const uid = `user-${randomUUID()}`;
    const identify = await call(
      'POST',
      '/graphql',
      { 'x-public-key': publicKey, 'x-private-key': privateKey },
      { query: IDENTIFY, variables: { input: { uid, email: 'user@example.com' } } },
    );
    expect(identify.json().errors).toBeUndefined();
    const token = signJwt({ uid, secret: privateKey, expiresInSeconds: 600 });
    const track = await call(
      'POST',
      '/graphql',
      { 'x-public-key': publicKey, 'x-identity-token': token },
      { query: TRACK, variables: { input: { event: 'Paid', accountUid: uid } } },
    );
    expect(track.json().data.trackEvent.success).toBe(true);
    const forged = signJwt({ uid, secret: `${privateKey}-not`, expiresInSeconds: 600 });
    const refused = await call(
      'POST',
      '/v1/track',
      { 'x-public-key': publicKey, 'x-identity-token': forged },
      { event: 'Paid', uid },
    );
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    // Bad requests: broken JSON holding a password, a wrong private key, an unknown public key.
    await call('POST', '/admin/api/session', {}, `{"email": "${EMAIL}", "password": "${PASSWORD}"`);
    await call(
      'POST',
      '/graphql',
      { 'x-public-key': publicKey, 'x-private-key': `${privateKey}0` },
      { query: IDENTIFY, variables: { input: { uid } } },
    );
    await call('POST', '/v1/batch', { 'x-public-key': `${publicKey}0` }, { batch: [{ type: 'track', event: 'X' }] });
    await call('POST', '/v1/batch', { 'x-public-key': publicKey }, { batch: 'not a list', password: PASSWORD });

    await logged();
    const text = lines.join('');
    expect(text).toContain('request completed');
    const secrets = {
      PASSWORD,
      WRONG_PASSWORD,
      ADMIN_TOKEN,
      privateKey,
      publicKey,
      token,
      forged,
      cookie: cookie.split('=')[1]!,
      csrf,
    };
    for (const [name, secret] of Object.entries(secrets)) expect(text.includes(secret), name).toBe(false);
  });
});
