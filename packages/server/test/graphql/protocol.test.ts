/** The DashX GraphQL HTTP layer against the documents and bodies the official SDKs really send. */
import { ErrorCode } from '@tessera/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import type * as GraphQL from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TesseraError } from '../../src/errors.ts';
import { installErrorHandler } from '../../src/http/error-handler.ts';
import { parseEveryBodyAsJson } from '../../src/http/json-body.ts';
import {
  buildDashXSchema,
  createDocumentCache,
  graphqlRoutes,
  type FieldResolver,
  type GraphQLContext,
  type GraphQLResolvers,
} from '../../src/http/graphql/index.ts';

// Counts parses through the real graphql-js, to prove documents are parsed once per query string.
const parseSpy = vi.hoisted(() => ({ calls: 0 }));
vi.mock('graphql', async (importOriginal) => {
  const graphql = await importOriginal<typeof GraphQL>();
  return {
    ...graphql,
    parse: (...args: Parameters<typeof GraphQL.parse>) => {
      parseSpy.calls += 1;
      return graphql.parse(...args);
    },
  };
});

const ACCOUNT_ID = '6f1c1c3e-2b1a-4c51-9d4e-3a1f0c0e7b11';
const ENV_ID = '0b7e6c8a-1d2f-4e3a-9b5c-7d8e9f0a1b2c';
const NOW = new Date('2026-11-29T17:51:58.548Z');
const CONTACT = { id: ACCOUNT_ID, accountId: ACCOUNT_ID, name: null, kind: 'EMAIL', value: 'a@b.c', tag: null };
const calls: { args: Parameters<FieldResolver>[0]; ctx: GraphQLContext }[] = [];
const logs: string[] = [];
const fail = (err: Error) => () => {
  throw err;
};
const expired = { reason: 'IDENTITY_TOKEN_EXPIRED' } as const;
const HINT = "Tessera implements DashX's user management (identifyAccount, trackEvent, stored preferences, contacts).";
// Every GraphQL error carries the request id besides DashX's code (and reason).
const requestId = expect.any(String);
const NOT_SUPPORTED = { extensions: { code: 'NOT_SUPPORTED', requestId } };
const resolvers: GraphQLResolvers = {
  Query: {
    fetchStoredPreferences: fail(
      new TesseraError(ErrorCode.UNAUTHORIZED, 'Incorrect Identity Token: Expired.', expired),
    ),
    fetchContacts: () => ({
      contacts: [{ ...CONTACT, status: 'SUBSCRIBED', createdAt: new Date(0), updatedAt: '2026-01-01T00:00:00Z' }],
    }),
  },
  Mutation: {
    identifyAccount: (args, ctx) => {
      calls.push({ args, ctx });
      return { id: ACCOUNT_ID, uid: args.input?.uid, environmentId: ENV_ID, createdAt: NOW, updatedAt: NOW };
    },
    trackEvent: (args, ctx) => {
      calls.push({ args, ctx });
      return { success: true };
    },
    saveStoredPreferences: fail(new Error('connect ECONNREFUSED postgres://tessera:secret@db')),
  },
};

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => void logs.push(line) } } });
  installErrorHandler(app);
  parseEveryBodyAsJson(app);
  await app.register(graphqlRoutes({ resolvers }));
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  calls.length = 0;
  logs.length = 0;
});

const JSON_TYPE = { 'content-type': 'application/json' };
async function post(body: unknown, headers: Record<string, string> = JSON_TYPE, url = '/graphql') {
  const res = await app.inject({ method: 'POST', url, headers, payload: JSON.stringify(body) });
  return { status: res.statusCode, type: res.headers['content-type'], raw: res.body, body: JSON.parse(res.body) };
}

const IDENTIFY = 'mutation IdentifyAccount($input: IdentifyAccountInput!) { identifyAccount(input: $input) { id } }';
const TRACK_BR =
  'mutation TrackEvent($input: TrackEventInput!) {\n  trackEvent(input: $input) {\n    success\n    __typename\n  }\n}';

describe('documents and bodies of the DashX SDKs', () => {
  it("answers br-npm's exact TrackEvent body (operationName, __typename, Apollo extensions ignored)", async () => {
    const systemContext = {
      ...{ ipV4: 'NA', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', locale: 'en-US', timeZone: 'UTC' },
      screen: { density: 1.5, height: 1080, width: 1920 },
      library: { name: '@dashx/browser', version: '0.4.13' },
    };
    const input = { event: 'Clicked', data: { a: 1 }, accountAnonymousUid: 'e31919d4-85d3-46cb-a155-c0fe9448d63c' };
    const res = await post({
      operationName: 'TrackEvent',
      variables: { input: { ...input, systemContext } },
      query: TRACK_BR,
      extensions: { clientLibrary: { name: '@apollo/client', version: '4.2.2' } },
    });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.raw).toBe('{"data":{"trackEvent":{"success":true,"__typename":"TrackEventResponse"}}}');
    expect(calls[0]?.args.input).toEqual({ ...input, systemContext });
  });

  it('validates nullable (node-gh, py, rb) and non-null $input, and passes absent / null input', async () => {
    const nullable = IDENTIFY.replace('IdentifyAccountInput!', 'IdentifyAccountInput');
    const ada = { uid: '123', firstName: 'Ada' };
    for (const query of [IDENTIFY, nullable]) {
      const res = await post({ query, variables: { input: ada } });
      expect(res.body).toEqual({ data: { identifyAccount: { id: ACCOUNT_ID } } });
    }
    await post({ query: nullable, variables: {} });
    await post({ query: nullable, variables: { input: null } });
    expect(calls.map((c) => c.args.input)).toEqual([ada, ada, undefined, null]);
  });

  it("accepts php's anonymous mutations with inline literals and its long Account selection", async () => {
    const fields =
      'id environmentId email phone fullName name firstName lastName avatar gender dateOfBirth timeZone uid ' +
      'anonymousUid createdAt updatedAt hasApiAccess hasGuiAccess custom status invitationToken unconfirmedEmail ' +
      'confirmationDigest confirmationExpiresAt regularAccountId';
    const identify = await post({
      query: `mutation { identifyAccount(input: { uid: "123" firstName: "John" lastName: "Doe" }) { ${fields} } }`,
      variables: { input: { uid: '123' } },
    });
    expect(identify.body.data.identifyAccount).toMatchObject({
      ...{ id: ACCOUNT_ID, uid: '123', environmentId: ENV_ID, email: null, custom: null, regularAccountId: null },
      ...{ createdAt: '2026-11-29T17:51:58.548Z' },
    });
    expect(Object.keys(identify.body.data.identifyAccount)).toHaveLength(25);

    const tracks = ['data: { plan: "pro" nested: { n: "1" } tags: ["a"] }', 'data: ""'].map((data) =>
      post({ query: `mutation { trackEvent(input: { event: "Signed Up" accountUid: "123" ${data} }) { success } }` }),
    );
    for (const res of await Promise.all(tracks)) expect(res.body).toEqual({ data: { trackEvent: { success: true } } });
    expect(calls.slice(1).map((c) => ({ ...c.args.input }))).toEqual([
      { event: 'Signed Up', accountUid: '123', data: { plan: 'pro', nested: { n: '1' }, tags: ['a'] } },
      { event: 'Signed Up', accountUid: '123', data: '' },
    ]);
  });

  it("accepts ios's explicit nulls, upper-case anonymous uid and timestamp (kept as the string)", async () => {
    const anon = 'E621E1F8-C36C-495A-93FC-0C247A3E6E5F';
    const nulls = { uid: null, email: null, phone: null, name: null, firstName: null, lastName: null };
    const ios = IDENTIFY.replace('{ id }', '{ __typename id }');
    const res = await post({ query: ios, variables: { input: { ...nulls, anonymousUid: anon } } });
    expect(res.body).toEqual({ data: { identifyAccount: { __typename: 'Account', id: ACCOUNT_ID } } });
    const track = {
      ...{ event: 'Opened', accountUid: null, accountAnonymousUid: anon, data: null },
      ...{ timestamp: '2026-11-29T17:51:58Z', systemContext: { screen: { density: 3 }, campaign: null } },
    };
    expect((await post({ query: TRACK_BR, variables: { input: track } })).status).toBe(200);
    expect(calls.map((c) => c.args.input)).toEqual([{ ...nulls, anonymousUid: anon }, track]);
  });

  it('serves introspection and honours operationName', async () => {
    const query = 'query A { __schema { mutationType { name } } } query B { __type(name: "Account") { name } }';
    const res = await post({ query, operationName: 'B' });
    expect(res.body).toEqual({ data: { __type: { name: 'Account' } } });
    expect((await post({ query, operationName: 'C' })).body.errors[0].extensions.code).toBe('INVALID_INPUT');
  });

  it('parses the body as JSON with Content-Type text/plain or none, on /graphql and /', async () => {
    const body = { query: IDENTIFY, variables: { input: { uid: 'rb' } } };
    for (const [headers, url] of [
      [{ 'content-type': 'text/plain' }, '/graphql'],
      [{}, '/graphql'],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, '/'],
    ] as const) {
      const res = await post(body, headers, url);
      expect(res.body).toEqual({ data: { identifyAccount: { id: ACCOUNT_ID } } });
    }
  });

  it('validates the ContactFragment document as Apollo sends it', async () => {
    const query = `query FetchContacts($input: FetchContactsInput!) {
  fetchContacts(input: $input) {\n    contacts {\n      ...ContactFragment\n      __typename\n    }\n    __typename\n  }\n}
fragment ContactFragment on Contact {
  id\n  accountId\n  name\n  kind\n  value\n  unverifiedValue\n  verifiedAt\n  status\n  tag\n  createdAt\n  updatedAt\n  __typename\n}`;
    const res = await post({ operationName: 'FetchContacts', query, variables: { input: { uid: 'user-3' } } });
    const times = { createdAt: '1970-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00Z' };
    expect(res.body.data.fetchContacts.contacts[0]).toMatchObject({ __typename: 'Contact', kind: 'EMAIL', ...times });
  });
});

describe('errors', () => {
  it('answers a TesseraError with HTTP 200, data null, its code and reason', async () => {
    const query =
      'query FetchStoredPreferences($input: FetchStoredPreferencesInput) { fetchStoredPreferences(input: $input) { preferenceData } }';
    const res = await post({ query, variables: { input: { accountUid: 'u' } } });
    expect(res.status).toBe(200);
    const error = { message: 'Incorrect Identity Token: Expired.', locations: [{ line: 1, column: 69 }] };
    const extensions = { code: 'UNAUTHORIZED', reason: 'IDENTITY_TOKEN_EXPIRED', requestId };
    expect(res.body).toEqual({ data: null, errors: [{ ...error, path: ['fetchStoredPreferences'], extensions }] });
  });

  it('masks a plain Error as Internal server error (INTERNAL) and logs the original', async () => {
    const query = 'mutation { saveStoredPreferences(input: { accountUid: "u", preferenceData: {} }) { success } }';
    const res = await post({ query });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL', requestId } }),
    ]);
    expect(res.raw).not.toMatch(/secret|ECONNREFUSED|stack/);
    expect(logs.join('')).toContain('ECONNREFUSED');
  });

  it('answers a DashX cart operation with ONE NOT_SUPPORTED error', async () => {
    const query = `mutation AddItemToCart($input: AddItemToCartInput!) { addItemToCart(input: $input) { ...CartFragment __typename } }
fragment CartFragment on Order { id status orderItems { id quantity } }`;
    const res = await post({ query, variables: { input: { accountUid: 'u', itemId: 'x' } } });
    expect(res.status).toBe(200);
    const message = `"addItemToCart" is not supported by this server: ${HINT}`;
    expect(res.body).toEqual({ errors: [{ message, locations: [{ line: 1, column: 55 }], ...NOT_SUPPORTED }] });
  });

  it('answers an SDL operation without a resolver (trackNotification) NOT_SUPPORTED with data null', async () => {
    const query =
      'mutation TrackNotification($input: TrackNotificationInput!) { trackNotification(input: $input) { success } }';
    const input = { id: ACCOUNT_ID, status: 'DELIVERED', timestamp: '2026-11-29T17:51:58.548Z' };
    const res = await post({ query, variables: { input } });
    const message = `"trackNotification" is not supported by this server: ${HINT}`;
    expect(res.body).toEqual({ data: null, errors: [expect.objectContaining({ message, ...NOT_SUPPORTED })] });
  });

  it('answers validation and variable errors INVALID_INPUT without data', async () => {
    const unknownField = await post({ query: 'mutation { identifyAccount { nope } }' });
    expect(unknownField.body.data).toBeUndefined();
    expect(unknownField.body.errors[0]).toMatchObject({ extensions: { code: 'INVALID_INPUT' } });
    for (const timestamp of ['yesterday', 1764438718000]) {
      const res = await post({ query: TRACK_BR, variables: { input: { event: 'e', timestamp } } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        errors: [expect.objectContaining({ extensions: { code: 'INVALID_INPUT', requestId } })],
      });
      expect(res.body.errors[0].message).toContain('Timestamp must be an ISO 8601');
    }
    expect(calls).toHaveLength(0);
  });

  it('answers HTTP 400 INVALID_INPUT for a body that is not a GraphQL request', async () => {
    for (const body of [{}, { query: 42 }, [], { query: IDENTIFY, variables: [] }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'INVALID_INPUT', requestId } }],
      });
    }
  });
});

describe('context and caching', () => {
  it('reads the credential headers case-insensitively; empty means absent', async () => {
    const headers = { 'X-PUBLIC-KEY': 'pk_1', 'X-Private-Key': '', 'x-target-environment': 'undefined' };
    await post({ query: IDENTIFY, variables: { input: { uid: 'u' } } }, { ...headers, 'X-IDENTITY-TOKEN': 't' });
    const expected = { publicKey: 'pk_1', privateKey: undefined, targetEnvironment: 'undefined', identityToken: 't' };
    expect(calls[0]?.ctx.credentials).toEqual(expected);
    expect(calls[0]?.ctx.request.url).toBe('/graphql');
  });

  it('parses and validates a query string once, however often it is sent', async () => {
    const query = `${IDENTIFY} # cache probe`;
    const before = parseSpy.calls;
    for (let i = 0; i < 3; i += 1) await post({ query, variables: { input: { uid: `u${i}` } } });
    expect(parseSpy.calls - before).toBe(1);
    expect(calls).toHaveLength(3);
  });

  it('keeps the maxEntries most recently used documents; refuses queries over 100 KB uncached', () => {
    const cache = createDocumentCache({ schema: buildDashXSchema(resolvers), maxEntries: 2 });
    const [x, a, b] = ['{ __typename }', 'query A { __typename }', 'query B { __typename }'];
    const first = cache.get(x);
    cache.get(a);
    expect(cache.get(x)).toBe(first); // a hit, and X is now the most recently used
    cache.get(b); // evicts A
    cache.get(x);
    expect([cache.size, cache.misses]).toEqual([2, 3]);
    cache.get(a);
    expect([cache.size, cache.misses]).toEqual([2, 4]);
    expect(cache.get(`{ __typename } #${'x'.repeat(100 * 1024)}`).errors?.[0]?.message).toMatch(/longer than/);
    expect([cache.size, cache.misses]).toEqual([2, 4]);
  });

  it('refuses resolvers for fields the schema does not have', () => {
    const typo = { Query: {}, Mutation: { identifyAcount: () => null } };
    expect(() => graphqlRoutes({ resolvers: typo })).toThrow(/Mutation.identifyAcount is not in the DashX schema/);
  });
});
