// POST /admin/api/init: an empty installation gets an admin token, an operator and environments
// at once; the token then works as a bearer token; a second init is a 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type TesseraServer } from '../../src/server.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const ADMIN_TOKEN = 'init-test-admin-token-0123';

describe('admin API: init', () => {
  let database: TestDatabase;
  let server: TesseraServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    // As `tessera init` before any `tessera serve`: no first-start environments.
    server = await createServer({
      databaseUrl: database.url,
      adminToken: ADMIN_TOKEN,
      logger: false,
      bootstrap: false,
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const call = async (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => {
    const res = await server.app.inject({
      method,
      url: `/admin/api${url}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };

  it('refuses bad input before creating anything', async () => {
    const twice = await call('POST', '/init', ADMIN_TOKEN, {
      email: 'ops@example.com',
      password: 'a long passphrase',
      environments: ['qa', 'qa'],
    });
    expect(twice).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_INPUT', message: expect.stringMatching(/"qa" is named twice/) } },
    });
    const short = await call('POST', '/init', ADMIN_TOKEN, { email: 'ops@example.com', password: 'short' });
    expect(short.status).toBe(400);
    const badName = await call('POST', '/init', ADMIN_TOKEN, {
      email: 'ops@example.com',
      password: 'a long passphrase',
      environments: ['Has Spaces'],
    });
    expect(badName.status).toBe(400);
    expect((await call('GET', '/environments', ADMIN_TOKEN)).body.environments).toEqual([]);
    expect((await call('GET', '/operators', ADMIN_TOKEN)).body.operators).toEqual([]);
  });

  let initToken: string;
  it('creates the admin token, the operator and the environments, and shows them once (no-store)', async () => {
    const res = await call('POST', '/init', ADMIN_TOKEN, {
      email: 'ops@example.com',
      password: 'a long passphrase',
      environments: ['live', 'test'],
    });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      adminToken: expect.stringMatching(/^tsa_[A-Za-z0-9_-]{43}$/),
      operator: { email: 'ops@example.com', lastLoginAt: null },
      environments: [
        {
          name: 'live',
          created: true,
          keyPair: { publicKey: expect.stringMatching(/^pk_/), privateKey: expect.stringMatching(/^sk_/) },
        },
        { name: 'test', created: true, keyPair: { active: true } },
      ],
    });
    initToken = res.body.adminToken;
  });

  it('accepts the new token as a bearer token, and keeps only its hash', async () => {
    const listed = await call('GET', '/environments', initToken);
    expect(listed.status).toBe(200);
    expect(listed.body.environments.map((e: { name: string }) => e.name)).toEqual(['live', 'test']);
    const rows = await server.db.query<{ token_hash: string }>('SELECT token_hash FROM admin_tokens');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(initToken);
    expect((await call('GET', '/environments', `${initToken.slice(0, -1)}x`)).status).toBe(401);
  });

  it('is a 409 the second time, and changes nothing', async () => {
    const again = await call('POST', '/init', initToken, { email: 'other@example.com', password: 'a long passphrase' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already set up \(1 operator, 1 admin token\)/),
    });
    expect((await call('GET', '/operators', initToken)).body.operators).toHaveLength(1);
  });

  it('reports the version and the schema', async () => {
    const status = await call('GET', '/status', initToken);
    expect(status.body).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      schema: { pending: [], migratedAtStart: { applied: expect.arrayContaining(['004.do.admin-tokens.sql']) } },
    });
    expect(status.body.schema.version).toBe(status.body.schema.latest);
  });
});
