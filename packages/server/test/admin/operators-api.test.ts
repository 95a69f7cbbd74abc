// Admin API: operators (list, create, new password), and which bearer tokens open the admin API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../helpers/server.ts';

describe('admin API: operators and credentials', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const signIn = (password: string) =>
    server.app.inject({ method: 'POST', url: '/admin/api/session', payload: { email: 'ada@example.com', password } });

  it('creates and lists operators; a taken email is a 409', async () => {
    const created = await server.admin('POST', '/operators', {
      email: 'ada@example.com',
      password: 'first passphrase',
    });
    expect(created).toMatchObject({ status: 201, body: { email: 'ada@example.com', lastLoginAt: null } });
    expect(
      (await server.admin('POST', '/operators', { email: 'ADA@example.com', password: 'first passphrase' })).status,
    ).toBe(409);
    expect(
      (await server.admin('POST', '/operators', { email: 'not-an-email', password: 'first passphrase' })).status,
    ).toBe(400);
    const listed = await server.admin('GET', '/operators');
    expect(listed.body.operators).toEqual([
      expect.objectContaining({ email: 'ada@example.com', createdAt: expect.any(String) }),
    ]);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash|scrypt/);
  });

  it("replaces a password and ends the operator's sessions", async () => {
    const session = String((await signIn('first passphrase')).headers['set-cookie']).split(';')[0]!;
    const changed = await server.admin('PUT', `/operators/${encodeURIComponent('ada@example.com')}/password`, {
      password: 'second passphrase',
    });
    expect(changed.status).toBe(200);
    expect((await signIn('first passphrase')).statusCode).toBe(401);
    expect((await signIn('second passphrase')).statusCode).toBe(200);
    const old = await server.app.inject({ url: '/admin/api/environments', headers: { cookie: session } });
    expect(old.statusCode).toBe(401);
    expect(
      (await server.admin('PUT', '/operators/nobody%40example.com/password', { password: 'a long passphrase' })).status,
    ).toBe(404);
  });

  it("accepts this process's local credential from this machine only", async () => {
    const call = (token: string, remoteAddress?: string) =>
      server.app.inject({
        url: '/admin/api/operators',
        headers: { authorization: `Bearer ${token}` },
        ...(remoteAddress ? { remoteAddress } : {}),
      });
    expect((await call(server.localToken)).statusCode).toBe(200);
    expect((await call(server.localToken, '::1')).statusCode).toBe(200);
    expect((await call(server.localToken, '203.0.113.9')).statusCode).toBe(401);
    // The configured token works from anywhere, as before.
    expect((await call(ADMIN_TOKEN, '203.0.113.9')).statusCode).toBe(200);
    expect((await call('tsa_' + 'x'.repeat(43))).statusCode).toBe(401);
  });
});
