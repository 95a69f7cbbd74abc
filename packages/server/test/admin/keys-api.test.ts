// Admin API: revealing an environment's keys (a POST, never cached, CSRF with a session), importing
// a DashX key pair, and minting identity tokens.
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('admin API: keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("reveals an environment's active key pairs with their private keys, never cached", async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/admin/api/environments/production/key-pairs/reveal',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      environment: 'production',
      keyPairs: [
        expect.objectContaining({ publicKey: server.production.publicKey, privateKey: server.production.privateKey }),
      ],
    });
    expect((await server.admin('GET', '/environments/production/key-pairs/reveal')).status).toBe(404);
    expect((await server.admin('POST', '/environments/nope/key-pairs/reveal')).status).toBe(404);
  });

  it('leaves revoked pairs out of a reveal', async () => {
    await server.admin('POST', '/environments', { name: 'rotating' });
    const second = await server.admin('POST', '/environments/rotating/key-pairs');
    const first = (await server.admin('GET', '/environments/rotating')).body.keyPairs[0];
    await server.admin('DELETE', `/key-pairs/${first.publicKey}`);
    const revealed = await server.admin('POST', '/environments/rotating/key-pairs/reveal');
    expect(revealed.body.keyPairs.map((p: { publicKey: string }) => p.publicKey)).toEqual([second.body.publicKey]);
  });

  it('needs the CSRF header with a dashboard session, like any change', async () => {
    await server.services.operators.create('reveal@example.com', 'a long passphrase');
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/admin/api/session',
      payload: { email: 'reveal@example.com', password: 'a long passphrase' },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const reveal = (headers: Record<string, string>) =>
      server.app.inject({
        method: 'POST',
        url: '/admin/api/environments/staging/key-pairs/reveal',
        headers: { cookie, ...headers },
      });
    expect((await reveal({})).statusCode).toBe(403);
    const ok = await reveal({ 'x-tessera-csrf': signIn.json().csrfToken });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().keyPairs[0].privateKey).toBe(server.staging.privateKey);
  });

  it('imports a DashX key pair without echoing its private key', async () => {
    await server.admin('POST', '/environments', { name: 'imported' });
    const keys = { publicKey: 'dashx_public_key_1', privateKey: '0123456789abcdef0123456789abcdef' };
    const res = await server.admin('POST', '/environments/imported/key-pairs/import', keys);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ publicKey: keys.publicKey, active: true });
    expect(res.body.privateKey).toBeUndefined();
    const short = await server.admin('POST', '/environments/imported/key-pairs/import', {
      ...keys,
      privateKey: 'only-twenty-bytes-xx',
    });
    expect(short.body.error).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/exactly 32 bytes/),
    });
    expect((await server.admin('POST', '/environments/imported/key-pairs/import', { publicKey: 'x' })).status).toBe(
      400,
    );
  });

  it('mints identity tokens with the newest active key', async () => {
    const res = await server.admin('POST', '/environments/production/identity-tokens', {
      uid: 'user-7',
      expiresIn: '15m',
    });
    expect(res.status).toBe(201);
    const claims = jwt.verify(res.body.token, server.production.privateKey, {
      algorithms: ['HS256'],
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ uid: 'user-7', kind: 'USER', aud: 'production' });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(res.body).toMatchObject({ uid: 'user-7', environment: 'production', expiresAt: expect.any(String) });
    const placeholder = await server.admin('POST', '/environments/production/identity-tokens', { uid: 'null' });
    expect(placeholder.status).toBe(400);
    const badDuration = await server.admin('POST', '/environments/production/identity-tokens', {
      uid: 'u',
      expiresIn: '1w',
    });
    expect(badDuration.body.error.message).toMatch(/Invalid duration "1w"/);
  });
});
