// The guide's flows over DashX's wire protocol: visitors, backend users, tokens, merges.
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTIFY, TRACK, accountOf, firstError, gql } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('identity flows over /graphql', () => {
  let server: TestServer;
  let pk: string;
  let sk: string;
  const token = (uid: string, expiresIn: number | string = '1h') =>
    jwt.sign({ kind: 'USER', uid }, sk, { expiresIn: expiresIn as jwt.SignOptions['expiresIn'] });

  beforeAll(async () => {
    server = await startTestServer();
    ({ publicKey: pk, privateKey: sk } = server.production);
  });
  afterAll(() => server.close());

  it('a visitor tracks without identifying first; the IP replaces "NA"', async () => {
    const anon = randomUUID();
    const res = await gql(
      server,
      TRACK,
      {
        event: 'Page Viewed',
        accountAnonymousUid: anon,
        data: { path: '/pricing' },
        systemContext: { ipV4: 'NA', screen: { density: 1.5, width: 1920, height: 1080 }, locale: 'en-US' },
      },
      { publicKey: pk, targetEnvironment: 'undefined' },
    );
    expect(res).toEqual({ status: 200, body: { data: { trackEvent: { success: true } } } });

    const visitor = await accountOf(server, 'production', `anonymousUid=${anon}`);
    expect(visitor).toMatchObject({ kind: 'VISITOR', anonymousUid: anon, uid: null });
    expect(visitor.events).toEqual([
      expect.objectContaining({
        name: 'Page Viewed',
        data: { path: '/pricing' },
        verified: true,
        systemContext: { ipV4: '127.0.0.1', screen: { density: 1.5, width: 1920, height: 1080 }, locale: 'en-US' },
      }),
    ]);
  });

  it('identify saves visitor traits; explicit nulls keep what is stored', async () => {
    const anon = randomUUID();
    await gql(server, IDENTIFY, { anonymousUid: anon, email: 'v@example.com', name: 'Vee' }, { publicKey: pk });
    // iOS sends every field, null when missing.
    const res = await gql(
      server,
      IDENTIFY,
      { uid: null, anonymousUid: anon, email: null, phone: '+1555', name: null, firstName: null, lastName: null },
      { publicKey: pk },
    );
    expect(res.body.data.identifyAccount.id).toBeTruthy();
    const visitor = await accountOf(server, 'production', `anonymousUid=${anon}`);
    expect(visitor).toMatchObject({ email: 'v@example.com', name: 'Vee', phone: '+1555' });
  });

  it('the backend creates users; a public key alone may not', async () => {
    const res = await gql(server, IDENTIFY, { uid: 'u-backend', firstName: 'Bea' }, { publicKey: pk, privateKey: sk });
    expect(res.body.data.identifyAccount.id).toBeTruthy();

    const refused = await gql(server, IDENTIFY, { uid: 'u-backend', firstName: 'Mallory' }, { publicKey: pk });
    expect(refused.status).toBe(200);
    expect(refused.body.data).toBeNull();
    expect(firstError(refused.body)).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringContaining('identity token is required'),
    });
    expect((await accountOf(server, 'production', 'uid=u-backend')).firstName).toBe('Bea');
  });

  it('login: setIdentity merges the visitor, whose earlier events join the user timeline', async () => {
    const anon = randomUUID();
    await gql(server, TRACK, { event: 'Visited', accountAnonymousUid: anon }, { publicKey: pk });
    await gql(server, IDENTIFY, { anonymousUid: anon, email: 'newsletter@example.com' }, { publicKey: pk });
    await gql(server, IDENTIFY, { uid: 'u-login', firstName: 'Lou' }, { publicKey: pk, privateKey: sk });

    const res = await gql(
      server,
      TRACK,
      { event: 'Logged In', accountUid: 'u-login', accountAnonymousUid: anon },
      {
        publicKey: pk,
        token: token('u-login'),
      },
    );
    expect(res.body).toEqual({ data: { trackEvent: { success: true } } });

    const user = await accountOf(server, 'production', 'uid=u-login');
    expect(user.events.map((e: any) => e.name)).toEqual(['Logged In', 'Visited']);
    expect(user.visitors).toEqual([expect.objectContaining({ anonymousUid: anon, mergedIntoId: user.id })]);
    expect(user.email).toBe('newsletter@example.com'); // copied: the user had none
    expect(user.merges).toEqual([
      expect.objectContaining({ status: 'merged', copiedTraits: { email: 'newsletter@example.com' } }),
    ]);
  });

  it('a token acts on its user even when the call names no uid; a different uid is refused', async () => {
    const identified = await gql(server, IDENTIFY, { lastName: 'Token' }, { publicKey: pk, token: token('u-token') });
    expect(identified.body.data.identifyAccount.id).toBeTruthy();
    expect((await accountOf(server, 'production', 'uid=u-token')).lastName).toBe('Token');

    const mismatch = await gql(
      server,
      TRACK,
      { event: 'X', accountUid: 'someone-else' },
      { publicKey: pk, token: token('u-token') },
    );
    expect(mismatch.body.data).toBeNull();
    expect(firstError(mismatch.body)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('"u-token"'),
    });
  });

  it('a second user on the same device without reset() is not merged: a warning is recorded', async () => {
    const anon = randomUUID();
    await gql(
      server,
      TRACK,
      { event: 'A', accountUid: 'u-first', accountAnonymousUid: anon },
      { publicKey: pk, token: token('u-first') },
    );
    await gql(
      server,
      TRACK,
      { event: 'B', accountUid: 'u-second', accountAnonymousUid: anon },
      { publicKey: pk, token: token('u-second') },
    );
    await gql(
      server,
      TRACK,
      { event: 'C', accountUid: 'u-second', accountAnonymousUid: anon },
      { publicKey: pk, token: token('u-second') },
    );

    const first = await accountOf(server, 'production', 'uid=u-first');
    const second = await accountOf(server, 'production', 'uid=u-second');
    expect(first.visitors.map((v: any) => v.anonymousUid)).toEqual([anon]);
    expect(second.visitors).toEqual([]);
    expect(second.merges).toEqual([expect.objectContaining({ status: 'refused' })]); // once, not per call
    expect(second.events.map((e: any) => e.name)).toEqual(['C', 'B']);
  });

  it('undo restores the visitor and the user, and is not redone by the next call', async () => {
    const anon = randomUUID();
    await gql(server, IDENTIFY, { anonymousUid: anon, phone: '+4400', lastName: 'Visitor' }, { publicKey: pk });
    await gql(server, TRACK, { event: 'Before', accountAnonymousUid: anon }, { publicKey: pk });
    await gql(
      server,
      TRACK,
      { event: 'After', accountUid: 'u-undo', accountAnonymousUid: anon },
      { publicKey: pk, token: token('u-undo') },
    );
    const merged = await accountOf(server, 'production', 'uid=u-undo');
    expect(merged).toMatchObject({ phone: '+4400', lastName: 'Visitor' });

    const undo = await server.admin('POST', `/environments/production/merges/${merged.merges[0].id}/undo`);
    expect(undo).toMatchObject({ status: 200, body: { status: 'undone' } });
    expect((await server.admin('POST', `/environments/production/merges/${merged.merges[0].id}/undo`)).status).toBe(
      409,
    );

    const user = await accountOf(server, 'production', 'uid=u-undo');
    expect(user).toMatchObject({ phone: null, lastName: null, visitors: [] });
    expect(user.events.map((e: any) => e.name)).toEqual(['After']);
    const visitor = await accountOf(server, 'production', `anonymousUid=${anon}`);
    expect(visitor).toMatchObject({ mergedIntoId: null, phone: '+4400' });
    expect(visitor.events.map((e: any) => e.name)).toEqual(['Before']);

    await gql(
      server,
      TRACK,
      { event: 'Again', accountUid: 'u-undo', accountAnonymousUid: anon },
      { publicKey: pk, token: token('u-undo') },
    );
    expect((await accountOf(server, 'production', 'uid=u-undo')).visitors).toEqual([]);
  });

  describe('optional identity verification', () => {
    let optional: { publicKey: string; privateKey: string };
    beforeAll(async () => {
      const created = await server.admin('POST', '/environments', {
        name: 'lenient',
        identityVerification: 'optional',
      });
      optional = created.body.keyPair;
    });

    it('accepts a uid without a token, marks it unverified and never merges', async () => {
      const anon = randomUUID();
      await gql(server, TRACK, { event: 'Anon', accountAnonymousUid: anon }, { publicKey: optional.publicKey });
      await gql(server, IDENTIFY, { uid: 'u-opt', email: 'claimed@example.com' }, { publicKey: optional.publicKey });
      const res = await gql(
        server,
        TRACK,
        { event: 'Claimed', accountUid: 'u-opt', accountAnonymousUid: anon },
        { publicKey: optional.publicKey },
      );
      expect(res.body).toEqual({ data: { trackEvent: { success: true } } });

      const user = await accountOf(server, 'lenient', 'uid=u-opt');
      expect(user).toMatchObject({ verified: false, unverifiedTraits: ['email'], visitors: [] });
      expect(user.events).toEqual([expect.objectContaining({ name: 'Claimed', verified: false })]);

      // A verified write later clears the flag of what it sets.
      await gql(server, IDENTIFY, { uid: 'u-opt', email: 'real@example.com' }, optional);
      expect(await accountOf(server, 'lenient', 'uid=u-opt')).toMatchObject({ verified: true, unverifiedTraits: [] });
    });

    it('still refuses an invalid token', async () => {
      const res = await gql(
        server,
        TRACK,
        { event: 'X', accountUid: 'u-opt' },
        { publicKey: optional.publicKey, token: 'garbage' },
      );
      expect(firstError(res.body)).toEqual({
        code: 'UNAUTHORIZED',
        message: 'Incorrect Identity Token: Improper format.',
        reason: undefined,
      });
    });
  });
});
