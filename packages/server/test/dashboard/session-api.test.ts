// Dashboard sign-in through the admin API: setup, sessions in cookies, CSRF, throttling, sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.ts';

const EMAIL = 'ops@example.com';
const PASSWORD = 'correct horse battery';

describe('dashboard sessions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const call = async (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', url: string, body?: unknown, headers = {}) => {
    const res = await server.app.inject({
      method,
      url: `/admin/api${url}`,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
  };
  const cookieOf = (headers: Record<string, unknown>) => String(headers['set-cookie']).split(';')[0]!;

  let cookie: string;
  let csrf: string;

  it('asks for setup while there is no operator, and refuses the API without credentials', async () => {
    expect((await call('GET', '/session')).body).toEqual({ operator: null, setupRequired: true });
    const res = await call('GET', '/environments');
    expect(res.status).toBe(401);
  });

  it('refuses a short password at setup', async () => {
    const res = await call('POST', '/session/setup', { email: EMAIL, password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/at least 10 characters/);
  });

  it('sets up the first operator once, and signs them in with an HttpOnly SameSite cookie', async () => {
    const res = await call('POST', '/session/setup', { email: EMAIL, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.operator.email).toBe(EMAIL);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^tessera_session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    cookie = cookieOf(res.headers);
    csrf = res.body.csrfToken;

    const again = await call('POST', '/session/setup', { email: 'other@example.com', password: PASSWORD });
    expect(again.status).toBe(409);
    expect((await call('GET', '/session')).body).toEqual({ operator: null, setupRequired: false });
  });

  it('stores only a hash of the session token, and the password only as scrypt', async () => {
    const token = cookie.split('=')[1]!;
    const sessions = await server.db.query<{ token_hash: string }>('SELECT token_hash FROM operator_sessions');
    expect(sessions.map((s) => s.token_hash)).not.toContain(token);
    const [op] = await server.db.query<{ password_hash: string }>('SELECT password_hash FROM operators');
    expect(op!.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
  });

  it('reads with the cookie; writes need the CSRF header', async () => {
    expect((await call('GET', '/environments', undefined, { cookie })).status).toBe(200);
    const session = await call('GET', '/session', undefined, { cookie });
    expect(session.body).toMatchObject({ operator: { email: EMAIL }, csrfToken: csrf });

    const noCsrf = await call('POST', '/environments', { name: 'csrf-test' }, { cookie });
    expect(noCsrf.status).toBe(403);
    const wrong = await call('POST', '/environments', { name: 'csrf-test' }, { cookie, 'x-tessera-csrf': 'x' + csrf });
    expect(wrong.status).toBe(403);
    const crossSite = await call(
      'POST',
      '/environments',
      { name: 'csrf-test' },
      { cookie, 'x-tessera-csrf': csrf, 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    const ok = await call('POST', '/environments', { name: 'csrf-test' }, { cookie, 'x-tessera-csrf': csrf });
    expect(ok.status).toBe(201);
  });

  it('keeps the bearer token working for automation', async () => {
    const res = await call(
      'PATCH',
      '/environments/csrf-test',
      { allowLegacyTokens: true },
      {
        authorization: `Bearer ${ADMIN_TOKEN}`,
      },
    );
    expect(res.status).toBe(200);
  });

  it('refuses a wrong password with one message for unknown emails and wrong passwords', async () => {
    const wrong = await call('POST', '/session', { email: EMAIL, password: 'not the password' });
    const unknown = await call('POST', '/session', { email: 'nobody@example.com', password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    // The same answer, but for the request id each answer carries.
    const { requestId: _a, ...wrongError } = wrong.body.error;
    const { requestId: _b, ...unknownError } = unknown.body.error;
    expect(wrongError).toEqual(unknownError);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('signs in (email case does not matter) and out; the old cookie stops working', async () => {
    const res = await call('POST', '/session', { email: 'OPS@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    const second = cookieOf(res.headers);
    expect((await call('GET', '/environments', undefined, { cookie: second })).status).toBe(200);

    expect((await call('DELETE', '/session', undefined, { cookie: second })).status).toBe(403);
    const out = await call('DELETE', '/session', undefined, { cookie: second, 'x-tessera-csrf': res.body.csrfToken });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await call('GET', '/environments', undefined, { cookie: second });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/sign in again/);
    // The first session is untouched.
    expect((await call('GET', '/environments', undefined, { cookie })).status).toBe(200);
  });

  it('throttles an email after 5 failures in a row, even for the right password', async () => {
    await server.services.operators.create('target@example.com', PASSWORD);
    for (let i = 0; i < 5; i++) {
      expect(
        (await call('POST', '/session', { email: 'target@example.com', password: `wrong-${i}-password` })).status,
      ).toBe(401);
    }
    const locked = await call('POST', '/session', { email: 'target@example.com', password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(locked.body.error.message).toMatch(/Too many failed sign-ins\. Try again in \d+ seconds/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Another operator (same IP, under its own limit) still signs in.
    expect((await call('POST', '/session', { email: EMAIL, password: PASSWORD })).status).toBe(200);
  });

  it('ignores X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
    // Behind a trusted https proxy the cookie is Secure: see test/http/trust-proxy.test.ts.
    const res = await call('POST', '/session', { email: EMAIL, password: PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).not.toContain('Secure');
  });

  it('refuses sign-in posted from another site', async () => {
    const res = await call(
      'POST',
      '/session',
      { email: EMAIL, password: PASSWORD },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(res.status).toBe(403);
  });
});
