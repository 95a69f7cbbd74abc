// The published @dashx/node 0.1.30, unchanged, against a real Tessera server.
import dashxNode from '@dashx/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// @dashx/node is CommonJS with `exports.default`; loaders differ on whether they unwrap it.
const DashX = 'createClient' in dashxNode ? (dashxNode as unknown as typeof dashxNode.default) : dashxNode.default;

describe('@dashx/node 0.1.30 against Tessera', () => {
  let server: TestServer;
  let baseUri: string;
  let dashx: ReturnType<typeof DashX.createClient>;

  beforeAll(async () => {
    server = await startTestServer();
    baseUri = `${await server.listen()}/graphql`;
    dashx = DashX.createClient({
      baseUri,
      publicKey: server.production.publicKey,
      privateKey: server.production.privateKey,
    });
  });
  afterAll(() => server.close());

  const findUser = async (uid: string) => {
    const list = await server.admin('GET', `/environments/production/accounts?uid=${encodeURIComponent(uid)}`);
    return list.body.items[0];
  };

  it('identify(uid, traits) creates the user with its traits', async () => {
    const response = (await dashx.identify('user-123', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
    })) as unknown as {
      identifyAccount: { id: string };
    };
    expect(response.identifyAccount.id).toMatch(/^[0-9a-f-]{36}$/);
    const user = await findUser('user-123');
    expect(user).toMatchObject({
      kind: 'USER',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      verified: true,
    });
    expect(user.id).toBe(response.identifyAccount.id);
  });

  it('identify(traits) creates a visitor with a fresh anonymous uid', async () => {
    const response = (await dashx.identify({ email: 'anon@example.com', phone: '+15550199' })) as unknown as {
      identifyAccount: { id: string };
    };
    const detail = await server.admin('GET', `/environments/production/accounts/${response.identifyAccount.id}`);
    expect(detail.body).toMatchObject({ kind: 'VISITOR', email: 'anon@example.com', phone: '+15550199' });
    expect(detail.body.anonymousUid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('track(event, uid, data) records against the user', async () => {
    await dashx.track('Order Placed', 'user-123', { total: 42, items: ['book'] });
    const user = await findUser('user-123');
    const events = await server.admin('GET', `/environments/production/accounts/${user.id}/events`);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      name: 'Order Placed',
      data: { total: 42, items: ['book'] },
      verified: true,
    });
  });

  it('a legacy token from its generateIdentityToken works where the environment allows legacy tokens', async () => {
    const token = dashx.generateIdentityToken('user-123');
    const call = () =>
      fetch(baseUri, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-public-key': server.production.publicKey,
          'x-identity-token': token,
        },
        body: JSON.stringify({
          query: 'mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }',
          variables: { input: { event: 'Legacy Token Used', accountUid: 'user-123' } },
        }),
      }).then((r) => r.json());

    const refused = await call();
    expect(refused).toMatchObject({
      data: null,
      errors: [{ message: 'Incorrect Identity Token: Improper format.', extensions: { code: 'UNAUTHORIZED' } }],
    });

    await server.admin('PATCH', '/environments/production', { allowLegacyTokens: true });
    expect(await call()).toEqual({ data: { trackEvent: { success: true } } });
    const user = await findUser('user-123');
    const events = await server.admin('GET', `/environments/production/accounts/${user.id}/events`);
    expect(events.body.items[0]).toMatchObject({ name: 'Legacy Token Used', verified: true });
  });

  it('rejects with the raw GraphQL errors on a wrong key, as DashX does', async () => {
    const wrong = DashX.createClient({
      baseUri,
      publicKey: 'pk_doesnotexist',
      privateKey: server.production.privateKey,
    });
    await expect(wrong.identify('x', {})).rejects.toEqual([
      expect.objectContaining({
        message: 'Incorrect Public Key.',
        extensions: expect.objectContaining({ code: 'UNAUTHORIZED' }),
      }),
    ]);
  });
});
