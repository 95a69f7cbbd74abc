// The backend /v1 API: account reads, export and delete with the private key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTIFY, TRACK, gql, type Keys } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SAVE_PREFERENCES =
  'mutation SaveStoredPreferences($input: SaveStoredPreferencesInput) { saveStoredPreferences(input: $input) { success } }';
const SAVE_CONTACTS =
  'mutation SaveContacts($input: SaveContactsInput!) { saveContacts(input: $input) { contacts { id } } }';

describe('backend /v1 accounts API', () => {
  let server: TestServer;
  let backend: Keys;

  beforeAll(async () => {
    server = await startTestServer();
    backend = { publicKey: server.production.publicKey, privateKey: server.production.privateKey };
  });
  afterAll(() => server.close());

  const call = async (method: 'GET' | 'DELETE', url: string, keys: Keys = backend) => {
    const headers: Record<string, string> = {};
    if (keys.publicKey) headers['x-public-key'] = keys.publicKey;
    if (keys.privateKey) headers['x-private-key'] = keys.privateKey;
    if (keys.token) headers['x-identity-token'] = keys.token;
    if (keys.targetEnvironment) headers['x-target-environment'] = keys.targetEnvironment;
    const res = await server.app.inject({ method, url: `/v1${url}`, headers });
    return { status: res.statusCode, body: res.json() };
  };
  const ok = async (query: string, input: Record<string, unknown>, keys: Keys = backend) => {
    const res = await gql(server, query, input, keys);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };

  /** `POST /v1/identify` with the private key: custom traits are not in DashX's GraphQL input. */
  const identify = async (item: Record<string, unknown>) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { 'x-public-key': backend.publicKey!, 'x-private-key': backend.privateKey! },
      payload: item,
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** A user with traits, a merged visitor, events on both, preferences and a contact. */
  const seed = async (uid: string, anonymousUid: string) => {
    await identify({ anonymousUid, traits: { name: 'Visitor Name', referrer: 'ad' } });
    await ok(TRACK, { event: 'Viewed Pricing', accountAnonymousUid: anonymousUid, data: { page: 1 } });
    await identify({ uid, anonymousUid, traits: { email: `${uid}@example.com`, plan: 'pro' } });
    await ok(TRACK, { event: 'Subscribed', accountUid: uid, data: { plan: 'pro' } });
    await ok(SAVE_PREFERENCES, { accountUid: uid, preferenceData: { newsletter: { enabled: true } } });
    await ok(SAVE_CONTACTS, { uid, contacts: [{ kind: 'EMAIL', value: `${uid}@example.com` }] });
  };

  describe('authentication', () => {
    it('refuses a call without keys (401), with a wrong private key (401), and without the private key (403)', async () => {
      expect(await call('GET', '/accounts/someone', {})).toMatchObject({
        status: 401,
        body: { error: { code: 'UNAUTHORIZED' } },
      });
      expect(
        await call('GET', '/accounts/someone', {
          publicKey: server.production.publicKey,
          privateKey: server.staging.privateKey,
        }),
      ).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
      const publicOnly = await call('GET', '/accounts/someone', { publicKey: server.production.publicKey });
      expect(publicOnly).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      expect(publicOnly.body.error.message).toContain('X-Private-Key');
      for (const url of ['/accounts/someone/events', '/accounts/someone/export']) {
        expect((await call('GET', url, { publicKey: server.production.publicKey })).status).toBe(403);
      }
      expect((await call('DELETE', '/accounts/someone', { publicKey: server.production.publicKey })).status).toBe(403);
    });

    it('checks X-Target-Environment against the keys', async () => {
      const wrong = await call('GET', '/accounts/someone', { ...backend, targetEnvironment: 'staging' });
      expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    });
  });

  it('reads a user with its traits and merged visitors, and its timeline with pages', async () => {
    await seed('reader', 'f1e2d3c4-0000-4000-8000-000000000001');
    const { status, body } = await call('GET', '/accounts/reader');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'USER',
      uid: 'reader',
      traits: { email: 'reader@example.com', plan: 'pro', name: 'Visitor Name', referrer: 'ad' },
      verified: true,
      visitors: [{ anonymousUid: 'f1e2d3c4-0000-4000-8000-000000000001', traits: { name: 'Visitor Name' } }],
    });
    expect(body.visitors[0].mergedAt).toEqual(expect.any(String));

    const first = await call('GET', '/accounts/reader/events?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.events).toEqual([
      expect.objectContaining({ event: 'Subscribed', data: { plan: 'pro' }, anonymousUid: null, verified: true }),
    ]);
    expect(first.body.events[0].messageId).toEqual(expect.any(String));
    expect(first.body.nextBefore).toEqual(expect.any(String));
    const second = await call('GET', `/accounts/reader/events?limit=1&before=${first.body.nextBefore}`);
    expect(second.body).toEqual({
      events: [
        expect.objectContaining({
          event: 'Viewed Pricing',
          anonymousUid: 'f1e2d3c4-0000-4000-8000-000000000001',
        }),
      ],
      nextBefore: null,
    });
    // `before` may also be a time: only strictly earlier events.
    const at = first.body.events[0].timestamp;
    const earlier = await call('GET', `/accounts/reader/events?before=${encodeURIComponent(at)}`);
    expect(earlier.body.events.map((e: any) => e.event)).toEqual(['Viewed Pricing']);
  });

  it('answers 404 for an unknown uid and 400 for bad parameters', async () => {
    expect(await call('GET', '/accounts/nobody')).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    expect((await call('GET', '/accounts/nobody/events')).status).toBe(404);
    expect((await call('GET', '/accounts/nobody/export')).status).toBe(404);
    expect((await call('GET', '/accounts/undefined')).status).toBe(400);
    await ok(IDENTIFY, { uid: 'params' });
    for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'before=not-a-cursor', 'before=2026-13-45T00:00:00Z']) {
      const res = await call('GET', `/accounts/params/events?${query}`);
      expect(res, query).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    }
  });

  it('takes any uid, slashes and spaces included, in the path', async () => {
    await ok(IDENTIFY, { uid: 'team/ada lovelace?x=1', email: 'ada@example.com' });
    const res = await call('GET', `/accounts/${encodeURIComponent('team/ada lovelace?x=1')}`);
    expect(res).toMatchObject({ status: 200, body: { uid: 'team/ada lovelace?x=1' } });
  });

  it('keeps environments apart', async () => {
    await ok(IDENTIFY, { uid: 'prod-only', email: 'p@example.com' });
    const staging = { publicKey: server.staging.publicKey, privateKey: server.staging.privateKey };
    expect((await call('GET', '/accounts/prod-only', staging)).status).toBe(404);
    expect(await call('DELETE', '/accounts/prod-only', staging)).toMatchObject({
      status: 200,
      body: { deleted: false },
    });
    expect((await call('GET', '/accounts/prod-only')).status).toBe(200);
  });

  it('exports everything stored about the user and its visitors', async () => {
    await seed('exported', 'f1e2d3c4-0000-4000-8000-000000000002');
    const { status, body } = await call('GET', '/accounts/exported/export');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      format: 'tessera.account-export.v1',
      environment: 'production',
      account: { uid: 'exported', email: 'exported@example.com', custom: { plan: 'pro', referrer: 'ad' } },
      visitors: [{ anonymousUid: 'f1e2d3c4-0000-4000-8000-000000000002', name: 'Visitor Name' }],
      merges: [{ status: 'merged', copiedTraits: { name: 'Visitor Name', custom: { referrer: 'ad' } } }],
      storedPreferences: [{ data: { newsletter: { enabled: true } } }],
      contacts: [{ kind: 'EMAIL', value: 'exported@example.com' }],
    });
    expect(body.events.map((e: any) => [e.name, e.data])).toEqual([
      ['Viewed Pricing', { page: 1 }],
      ['Subscribed', { plan: 'pro' }],
    ]);
  });

  it('deletes the user, its merged visitors and all their data; later calls start fresh', async () => {
    const visitor = 'f1e2d3c4-0000-4000-8000-000000000003';
    await seed('deleted', visitor);
    await ok(IDENTIFY, { uid: 'bystander', email: 'b@example.com' });
    await ok(TRACK, { event: 'Stayed', accountUid: 'bystander' });

    const gone = await call('DELETE', '/accounts/deleted');
    expect(gone).toEqual({ status: 200, body: { uid: 'deleted', deleted: true, accounts: 2, events: 2 } });
    expect((await call('GET', '/accounts/deleted')).status).toBe(404);
    const left = await server.admin('GET', `/environments/production/accounts?anonymousUid=${visitor}`);
    expect(left.body.items).toEqual([]);
    expect(await call('DELETE', '/accounts/deleted')).toMatchObject({ status: 200, body: { deleted: false } });

    // Someone else's data is untouched.
    const bystander = await call('GET', '/accounts/bystander/events');
    expect(bystander.body.events.map((e: any) => e.event)).toEqual(['Stayed']);

    // The same uid and visitor come back as new, empty accounts — also through the cached paths
    // (preferences and tracking reuse cached account ids, merges cache their outcome).
    await ok(SAVE_PREFERENCES, { accountUid: 'deleted', preferenceData: { fresh: true } });
    await ok(TRACK, { event: 'Came Back', accountUid: 'deleted' });
    await ok(TRACK, { event: 'Visited Again', accountAnonymousUid: visitor });
    await ok(IDENTIFY, { uid: 'deleted', anonymousUid: visitor });
    const fresh = await call('GET', '/accounts/deleted/export');
    expect(fresh.body).toMatchObject({
      account: { uid: 'deleted', email: null, custom: {} },
      visitors: [{ anonymousUid: visitor, name: null }],
      storedPreferences: [{ data: { fresh: true } }],
      contacts: [],
    });
    expect(fresh.body.events.map((e: any) => e.name).sort()).toEqual(['Came Back', 'Visited Again']);
  });

  it('forgets cached merge outcomes that named a deleted visitor', async () => {
    // Shared device: the visitor belongs to "first"; "second" is refused it.
    const visitor = 'f1e2d3c4-0000-4000-8000-000000000004';
    await ok(IDENTIFY, { uid: 'first', anonymousUid: visitor });
    await ok(IDENTIFY, { uid: 'second', anonymousUid: visitor });
    expect((await call('GET', '/accounts/second')).body.visitors).toEqual([]);

    await call('DELETE', '/accounts/first');
    // The visitor id is free again: the next identified call merges a fresh visitor into "second".
    await ok(IDENTIFY, { uid: 'second', anonymousUid: visitor });
    expect((await call('GET', '/accounts/second')).body.visitors).toEqual([
      expect.objectContaining({ anonymousUid: visitor }),
    ]);
  });

  it('offers the same operations by account id to the dashboard', async () => {
    await ok(IDENTIFY, { uid: 'by-id', email: 'id@example.com' });
    const env = await server.services.environments.get('production');
    const user = await server.services.privacy.findUser(env.id, 'by-id');
    expect(user).toBeDefined();
    const exported = await server.services.privacy.exportAccount(env.id, user!.id);
    expect(exported.account.email).toBe('id@example.com');
    await expect(server.services.privacy.deleteAccount(env.id, user!.id)).resolves.toEqual({
      deleted: true,
      accounts: 1,
      events: 0,
    });
    await expect(server.services.privacy.deleteAccount(env.id, user!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(server.services.privacy.exportAccount(env.id, 'not-a-uuid')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
