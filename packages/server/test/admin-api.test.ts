import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.ts';

describe('admin API: environments and key pairs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('lists the environments made at first start, without private keys', async () => {
    const res = await server.admin('GET', '/environments');
    expect(res.status).toBe(200);
    expect(res.body.environments.map((e: { name: string }) => e.name)).toEqual(['production', 'staging']);
    expect(JSON.stringify(res.body)).not.toContain('sk_');
    expect(res.body.environments[0].keyPairs[0]).toMatchObject({
      publicKey: server.production.publicKey,
      active: true,
    });
  });

  it('creates an environment with a key pair; a duplicate name is a 409', async () => {
    const res = await server.admin('POST', '/environments', { name: 'qa', identityVerification: 'optional' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'qa', identityVerification: 'optional', id: expect.any(String) });
    expect(res.body.keyPair.publicKey).toMatch(/^pk_[0-9A-Za-z]{29}$/);
    expect(res.body.keyPair.privateKey).toMatch(/^sk_[0-9A-Za-z]{29}$/);
    expect(Buffer.byteLength(res.body.keyPair.privateKey)).toBe(32);

    const again = await server.admin('POST', '/environments', { name: 'qa' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: 'CONFLICT', message: 'An environment named "qa" already exists', requestId: expect.any(String) },
    });
  });

  it('refuses bad environment input with 400', async () => {
    expect((await server.admin('POST', '/environments', { name: 'Has Spaces' })).status).toBe(400);
    expect((await server.admin('POST', '/environments', { name: 'x', identityVerification: 'sometimes' })).status).toBe(
      400,
    );
    expect((await server.admin('POST', '/environments', {})).body.error.code).toBe('INVALID_INPUT');
  });

  it('changes the verification mode', async () => {
    const res = await server.admin('PATCH', '/environments/qa', {
      identityVerification: 'required',
      allowLegacyTokens: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ identityVerification: 'required', allowLegacyTokens: true });
    expect((await server.admin('PATCH', '/environments/nope', { identityVerification: 'required' })).status).toBe(404);
  });

  it('allows two active key pairs, then 409 until one is revoked', async () => {
    const second = await server.admin('POST', '/environments/qa/key-pairs');
    expect(second.status).toBe(201);
    expect(second.body.privateKey).toMatch(/^sk_/);

    const third = await server.admin('POST', '/environments/qa/key-pairs');
    expect(third.status).toBe(409);

    const revoked = await server.admin('DELETE', `/key-pairs/${second.body.publicKey}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ active: false, revokedAt: expect.any(String) });
    expect(revoked.body.privateKey).toBeUndefined();

    expect((await server.admin('POST', '/environments/qa/key-pairs')).status).toBe(201);
    expect((await server.admin('DELETE', '/key-pairs/pk_unknown')).status).toBe(404);
  });

  it('a key pair can be created with an expiry', async () => {
    await server.admin('POST', '/environments', { name: 'expiring' });
    const res = await server.admin('POST', '/environments/expiring/key-pairs', { expiresAt: '2000-01-01T00:00:00Z' });
    expect(res.status).toBe(201);
    expect(res.body.active).toBe(false);
  });

  it('requires the admin token', async () => {
    const missing = await server.app.inject({ method: 'GET', url: '/admin/api/environments' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('UNAUTHORIZED');
    const wrong = await server.app.inject({
      method: 'GET',
      url: '/admin/api/environments',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('answers malformed JSON with 400, never a stack trace', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/admin/api/environments',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'INVALID_INPUT', message: 'The body is not valid JSON', requestId: expect.any(String) },
    });
  });

  it('lists accounts (empty) and 404s unknown ones', async () => {
    const list = await server.admin('GET', '/environments/production/accounts?limit=10');
    expect(list).toEqual({ status: 200, body: { items: [], nextCursor: null } });
    expect((await server.admin('GET', '/environments/production/accounts/not-a-uuid')).status).toBe(404);
    expect((await server.admin('GET', '/environments/production/accounts?limit=0')).status).toBe(400);
    expect((await server.admin('GET', '/environments/production/accounts?cursor=garbage')).status).toBe(400);
  });

  it('answers health and readiness', async () => {
    expect((await server.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await server.app.inject({ url: '/nope' })).statusCode).toBe(404);
  });
});
