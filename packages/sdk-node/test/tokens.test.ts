// Identity tokens: made by the SDK (jsonwebtoken) or by the guide's jsonwebtoken snippet, checked by a real server.
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, lifetimeSeconds, type TesseraClient } from '../src/index.ts';
import { clientFor, startServer, type ListeningServer } from './helpers.ts';

describe('@tessera/node identity tokens', () => {
  let target: ListeningServer;
  let tessera: TesseraClient;

  beforeAll(async () => {
    target = await startServer();
    tessera = clientFor(target).client;
  });
  afterAll(async () => {
    await tessera.shutdown();
    await target.server.close();
  });

  /** What a logged-in frontend does: public key + token, no private key. */
  const trackAsFrontend = async (token: string, uid = 'token-user') => {
    const res = await fetch(`${target.url}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-public-key': target.server.production.publicKey,
        'x-identity-token': token,
      },
      body: JSON.stringify({ uid, event: 'Used Token' }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** The same through DashX's GraphQL endpoint, as @dashx/browser sends it. */
  const trackWithDashX = async (token: string, uid = 'token-user') => {
    const res = await fetch(`${target.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-public-key': target.server.production.publicKey,
        'x-identity-token': token,
      },
      body: JSON.stringify({
        query: 'mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }',
        variables: { input: { event: 'Used Token', accountUid: uid } },
      }),
    });
    return (await res.json()) as any;
  };

  it('makes a token the server accepts, with the claims of the guide', async () => {
    const token = tessera.generateIdentityToken('token-user');
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ uid: 'token-user', kind: 'USER', iat: expect.any(Number), exp: expect.any(Number) });
    expect(payload.exp - payload.iat).toBe(7 * 86_400);
    // jsonwebtoken, which the guide uses, verifies it with the private key as the secret.
    expect(jwt.verify(token, target.server.production.privateKey, { algorithms: ['HS256'] })).toMatchObject({
      uid: 'token-user',
      kind: 'USER',
    });

    expect(await trackAsFrontend(token)).toEqual({ status: 200, body: { accepted: 1, rejected: [] } });
    expect(await trackWithDashX(token)).toEqual({ data: { trackEvent: { success: true } } });
    const { events } = await tessera.listEvents('token-user');
    expect(events.map((e) => [e.event, e.verified])).toEqual([
      ['Used Token', true],
      ['Used Token', true],
    ]);
  });

  it('an expired token is refused with DashX message', async () => {
    // Issued two hours ago, valid for one: well past the server's 30 s leeway.
    const past = createClient(
      {
        baseUri: target.url,
        publicKey: target.server.production.publicKey,
        privateKey: target.server.production.privateKey,
      },
      { env: {}, now: () => Date.now() - 2 * 3600_000 },
    );
    const token = past.generateIdentityToken('token-user', { expiresIn: '1h' });
    await past.shutdown();
    expect(await trackAsFrontend(token)).toEqual({
      status: 401,
      body: {
        error: {
          code: 'UNAUTHORIZED',
          message: 'Incorrect Identity Token: Expired.',
          reason: 'IDENTITY_TOKEN_EXPIRED',
          requestId: expect.any(String),
        },
      },
    });
    expect(await trackWithDashX(token)).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: 'Incorrect Identity Token: Expired.',
          extensions: expect.objectContaining({ code: 'UNAUTHORIZED', reason: 'IDENTITY_TOKEN_EXPIRED' }),
        }),
      ],
    });
  });

  it("accepts the token the guide's jsonwebtoken snippet makes", async () => {
    // The DashX guide (demo-node): jwt.sign({ kind: 'USER', uid: uid.toString(), exp }, DASHX_PRIVATE_KEY)
    const uid = 1234;
    const exp = Math.floor(Date.now() / 1000) + 60 * 60;
    const token = jwt.sign({ kind: 'USER', uid: uid.toString(), exp }, target.server.production.privateKey);
    expect(await trackAsFrontend(token, '1234')).toEqual({ status: 200, body: { accepted: 1, rejected: [] } });
    // ...and the SDK's token for the same user has the same header and claims (plus nothing else).
    const ours = tessera.generateIdentityToken(uid, { expiresIn: 3600 });
    const decode = (t: string) => jwt.decode(t, { complete: true }) as jwt.Jwt;
    expect(decode(ours).header).toEqual(decode(token).header);
    expect(Object.keys(decode(ours).payload as object).sort()).toEqual(
      Object.keys(decode(token).payload as object).sort(),
    );
    expect(decode(ours).payload).toMatchObject({ uid: '1234', kind: 'USER' });
  });

  it('puts the environment in aud when targetEnvironment is set: valid there only', async () => {
    const pinned = createClient(
      {
        baseUri: target.url,
        publicKey: target.server.production.publicKey,
        privateKey: target.server.production.privateKey,
        targetEnvironment: 'production',
      },
      { env: {} },
    );
    const token = pinned.generateIdentityToken('token-user');
    expect(jwt.decode(token)).toMatchObject({ aud: 'production' });
    expect((await trackAsFrontend(token)).status).toBe(200);

    // Signed with production's key but addressed to staging: refused.
    const misaddressed = createClient(
      {
        baseUri: target.url,
        publicKey: target.server.production.publicKey,
        privateKey: target.server.production.privateKey,
        targetEnvironment: 'staging',
      },
      { env: {} },
    );
    const wrong = misaddressed.generateIdentityToken('token-user');
    expect(await trackAsFrontend(wrong)).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'Incorrect Identity Token: Invalid signature.' } },
    });
    await Promise.all([pinned.shutdown(), misaddressed.shutdown()]);
  });

  it('refuses clearly without a private key or a uid, or with a bad lifetime', async () => {
    const publicOnly = createClient(
      { baseUri: target.url, publicKey: target.server.production.publicKey },
      { env: {} },
    );
    expect(() => publicOnly.generateIdentityToken('someone')).toThrow(
      expect.objectContaining({
        name: 'TesseraError',
        code: 'CONFIGURATION',
        message: expect.stringContaining('private key'),
      }),
    );
    await publicOnly.shutdown();
    for (const uid of [undefined, null, '', '   ']) {
      expect(() => tessera.generateIdentityToken(uid as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: 'uid is required to generate an identity token.' }),
      );
    }
    expect(() => tessera.generateIdentityToken({ id: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    for (const expiresIn of [0, -5, 1.5, '7', '7 fortnights', '', 'd']) {
      expect(() => tessera.generateIdentityToken('someone', { expiresIn }), String(expiresIn)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('expiresIn') }),
      );
    }
  });

  it('reads lifetimes as jsonwebtoken users write them', () => {
    expect(lifetimeSeconds(90)).toBe(90);
    expect(lifetimeSeconds('30s')).toBe(30);
    expect(lifetimeSeconds('15m')).toBe(900);
    expect(lifetimeSeconds('12h')).toBe(43_200);
    expect(lifetimeSeconds('7d')).toBe(604_800);
    expect(lifetimeSeconds('7 days')).toBe(604_800);
    expect(lifetimeSeconds('2w')).toBe(1_209_600);
  });
});
