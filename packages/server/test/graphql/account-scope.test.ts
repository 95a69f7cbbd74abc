// Stored preferences and contacts: a user's own data, for that user's token or the backend only.
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstError, gql } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FETCH_PREFS =
  'query FetchStoredPreferences($input: FetchStoredPreferencesInput) { fetchStoredPreferences(input: $input) { preferenceData } }';
const SAVE_PREFS =
  'mutation SaveStoredPreferences($input: SaveStoredPreferencesInput!) { saveStoredPreferences(input: $input) { success } }';
const CONTACT_FIELDS = 'id accountId name kind value unverifiedValue verifiedAt status tag createdAt updatedAt';
const FETCH_CONTACTS = `query FetchContacts($input: FetchContactsInput!) { fetchContacts(input: $input) { contacts { ${CONTACT_FIELDS} } } }`;
const SAVE_CONTACTS = `mutation SaveContacts($input: SaveContactsInput!) { saveContacts(input: $input) { contacts { ${CONTACT_FIELDS} } } }`;

describe('account-scoped operations', () => {
  let server: TestServer;
  let pk: string;
  let asUser: { publicKey: string; token: string };
  beforeAll(async () => {
    server = await startTestServer();
    pk = server.production.publicKey;
    asUser = {
      publicKey: pk,
      token: jwt.sign({ kind: 'USER', uid: 'u-prefs' }, server.production.privateKey, { expiresIn: '1h' }),
    };
  });
  afterAll(() => server.close());

  it('stored preferences round-trip for the user holding the token', async () => {
    expect((await gql(server, FETCH_PREFS, { accountUid: 'u-prefs' }, asUser)).body).toEqual({
      data: { fetchStoredPreferences: { preferenceData: {} } },
    });
    const saved = await gql(
      server,
      SAVE_PREFS,
      { accountUid: 'u-prefs', preferenceData: { newsletter: { enabled: false } } },
      asUser,
    );
    expect(saved.body).toEqual({ data: { saveStoredPreferences: { success: true } } });
    expect(
      (await gql(server, FETCH_PREFS, { accountUid: 'u-prefs' }, asUser)).body.data.fetchStoredPreferences,
    ).toEqual({
      preferenceData: { newsletter: { enabled: false } },
    });
    // The backend may read them too.
    const backend = await gql(server, FETCH_PREFS, { accountUid: 'u-prefs' }, server.production);
    expect(backend.body.data.fetchStoredPreferences.preferenceData).toEqual({ newsletter: { enabled: false } });
  });

  it('recovers when another process deleted the cached account', async () => {
    await gql(server, SAVE_PREFS, { accountUid: 'u-prefs', preferenceData: { a: 1 } }, asUser);
    // Another server process deletes the user: this process still has its id cached.
    await server.db.query(`DELETE FROM accounts WHERE uid = 'u-prefs'`);
    const saved = await gql(server, SAVE_PREFS, { accountUid: 'u-prefs', preferenceData: { b: 2 } }, asUser);
    expect(saved.body).toEqual({ data: { saveStoredPreferences: { success: true } } });
    expect(
      (await gql(server, FETCH_PREFS, { accountUid: 'u-prefs' }, asUser)).body.data.fetchStoredPreferences,
    ).toEqual({
      preferenceData: { b: 2 },
    });
  });

  it('refuses a public key alone, and another user', async () => {
    const anonymous = await gql(server, FETCH_PREFS, { accountUid: 'u-prefs' }, { publicKey: pk });
    expect(anonymous.body.data).toBeNull();
    expect(firstError(anonymous.body)).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringContaining('identity token'),
    });
    const other = await gql(server, SAVE_PREFS, { accountUid: 'someone-else', preferenceData: {} }, asUser);
    expect(firstError(other.body).code).toBe('UNAUTHORIZED');
  });

  it('contacts: save, update, destroy, fetch', async () => {
    const saved = await gql(
      server,
      SAVE_CONTACTS,
      {
        uid: 'u-prefs',
        contacts: [
          { kind: 'EMAIL', value: 'a@example.com', tag: 'work' },
          { kind: 'PHONE', value: '+15550100' },
        ],
      },
      asUser,
    );
    expect(saved.body.data.saveContacts.contacts).toEqual([
      expect.objectContaining({ kind: 'EMAIL', value: 'a@example.com', tag: 'work', status: 'SUBSCRIBED' }),
      expect.objectContaining({ kind: 'PHONE', value: '+15550100', status: 'SUBSCRIBED' }),
    ]);
    await gql(
      server,
      SAVE_CONTACTS,
      {
        uid: 'u-prefs',
        contacts: [
          { kind: 'EMAIL', value: 'a@example.com', status: 'UNSUBSCRIBED' },
          { kind: 'PHONE', value: '+15550100', shouldDestroy: true },
        ],
      },
      asUser,
    );
    const fetched = await gql(server, FETCH_CONTACTS, { uid: 'u-prefs' }, asUser);
    expect(fetched.body.data.fetchContacts.contacts).toEqual([
      expect.objectContaining({ kind: 'EMAIL', tag: 'work', status: 'UNSUBSCRIBED' }),
    ]);
    expect(firstError((await gql(server, FETCH_CONTACTS, { uid: 'u-prefs' }, { publicKey: pk })).body).code).toBe(
      'UNAUTHORIZED',
    );
  });
});
