// Every GraphQL error carries the request id in `extensions.requestId` (the answer's X-Request-Id),
// while DashX's message, code and reason stay exactly as the official SDKs read them.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signJwt } from '../../src/tokens/sign.ts';
import { IDENTIFY, TRACK } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('GraphQL errors carry the request id', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  afterEach(() => vi.restoreAllMocks());

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
    const id = res.headers['x-request-id'];
    expect(typeof id).toBe('string');
    return { status: res.statusCode, body: res.json(), id: id as string, retryAfter: res.headers['retry-after'] };
  };
  const track = (headers: Record<string, string>) =>
    post({ query: TRACK, variables: { input: { event: 'Clicked', accountAnonymousUid: randomUUID() } } }, headers);

  it('on a refused public key: DashX message and code unchanged, the answer id added', async () => {
    const res = await track({ 'x-public-key': 'pk_doesnotexist' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Incorrect Public Key.',
          locations: [{ line: 1, column: TRACK.indexOf('trackEvent') + 1 }],
          path: ['trackEvent'],
          extensions: { code: 'UNAUTHORIZED', requestId: res.id },
        },
      ],
    });
  });

  it('keeps the reason of an identity token error', async () => {
    const { publicKey, privateKey } = server.production;
    const nowSeconds = Math.floor(Date.now() / 1000) - 3600;
    const token = signJwt({ uid: 'u-expired', secret: privateKey, expiresInSeconds: 60, nowSeconds });
    const res = await post(
      { query: TRACK, variables: { input: { event: 'Clicked', accountUid: 'u-expired' } } },
      { 'x-public-key': publicKey, 'x-identity-token': token },
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'UNAUTHORIZED', reason: 'IDENTITY_TOKEN_EXPIRED', requestId: res.id },
      }),
    ]);
  });

  it('uses a sane incoming X-Request-Id, on each error of an answer', async () => {
    const res = await post(
      { query: 'mutation { identifyAccount { nope } trackEvent { nada } }' },
      { 'x-public-key': server.production.publicKey, 'x-request-id': 'lb-graphql-0042' },
    );
    expect(res.id).toBe('lb-graphql-0042');
    expect(res.body.errors.map((e: any) => e.extensions)).toEqual([
      { code: 'INVALID_INPUT', requestId: 'lb-graphql-0042' },
      { code: 'INVALID_INPUT', requestId: 'lb-graphql-0042' },
    ]);
  });

  it('on validation, variable and unsupported-operation errors', async () => {
    const { publicKey } = server.production;
    const unknownField = await post({ query: 'mutation { identifyAccount { nope } }' }, { 'x-public-key': publicKey });
    const badVariable = await post(
      { query: TRACK, variables: { input: { event: 'e', timestamp: 'yesterday' } } },
      { 'x-public-key': publicKey },
    );
    const cart = await post(
      { query: 'mutation { addItemToCart(input: { accountUid: "u", itemId: "x" }) { id } }' },
      { 'x-public-key': publicKey },
    );
    for (const [res, code] of [
      [unknownField, 'INVALID_INPUT'],
      [badVariable, 'INVALID_INPUT'],
      [cart, 'NOT_SUPPORTED'],
    ] as const) {
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([expect.objectContaining({ extensions: { code, requestId: res.id } })]);
    }
    expect(badVariable.body.errors[0].message).toContain('Timestamp must be an ISO 8601');
  });

  it('on an HTTP 400 for a body that is not a GraphQL request', async () => {
    const res = await post({ variables: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        { message: expect.stringContaining('"query"'), extensions: { code: 'INVALID_INPUT', requestId: res.id } },
      ],
    });
  });

  it('on internal and unavailable errors, masked as before', async () => {
    const { publicKey } = server.production;
    const resolve = vi.spyOn(server.services.callers, 'resolve');
    resolve.mockRejectedValueOnce(new Error('bug: secret detail'));
    const internal = await track({ 'x-public-key': publicKey });
    expect(internal.body.errors).toEqual([
      expect.objectContaining({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL', requestId: internal.id },
      }),
    ]);
    expect(JSON.stringify(internal.body)).not.toContain('secret');

    resolve.mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const unavailable = await post(
      { query: IDENTIFY, variables: { input: { anonymousUid: randomUUID() } } },
      { 'x-public-key': publicKey },
    );
    expect(unavailable.retryAfter).toBe('5');
    expect(unavailable.body.errors).toEqual([
      expect.objectContaining({
        message: 'The database is unavailable; retry later',
        extensions: { code: 'UNAVAILABLE', requestId: unavailable.id },
      }),
    ]);
  });

  it('adds nothing to an answer without errors', async () => {
    const res = await track({ 'x-public-key': server.production.publicKey });
    expect(res.body).toEqual({ data: { trackEvent: { success: true } } });
  });
});
