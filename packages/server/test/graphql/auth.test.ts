// Keys and identity tokens on /graphql: DashX's messages, codes and reasons.
import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACK, firstError, gql } from '../helpers/graphql.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const track = { event: 'Clicked', accountUid: 'u1' };

describe('authentication on /graphql', () => {
  let server: TestServer;
  let pk: string;
  let sk: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    server = await startTestServer();
    ({ publicKey: pk, privateKey: sk } = server.production);
  });
  afterAll(() => server.close());

  const refusal = async (keys: Parameters<typeof gql>[3], input: Record<string, unknown> = track) => {
    const res = await gql(server, TRACK, input, keys);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    return firstError(res.body);
  };

  describe('keys', () => {
    it('refuses a missing or unknown public key', async () => {
      expect(await refusal({})).toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('Permission denied'),
      });
      expect(await refusal({ publicKey: 'pk_nope' })).toEqual({
        code: 'UNAUTHORIZED',
        message: 'Incorrect Public Key.',
        reason: undefined,
      });
    });

    it('refuses a private key in the public-key slot, and a private key of another pair', async () => {
      expect((await refusal({ publicKey: sk })).message).toContain('private key was sent as the public key');
      expect((await refusal({ publicKey: pk, privateKey: server.staging.privateKey })).message).toContain(
        'Incorrect Private Key',
      );
    });

    it('honours X-Target-Environment: absent, "undefined", the right name; refuses another', async () => {
      const backend = { publicKey: pk, privateKey: sk };
      for (const targetEnvironment of [undefined, 'undefined', 'production']) {
        const res = await gql(server, TRACK, track, {
          ...backend,
          ...(targetEnvironment ? { targetEnvironment } : {}),
        });
        expect(res.body).toEqual({ data: { trackEvent: { success: true } } });
      }
      expect((await refusal({ ...backend, targetEnvironment: 'staging' })).message).toContain(
        'belongs to environment "production"',
      );
    });

    it('refuses a revoked key at once, and an expired key pair with DashX message', async () => {
      const env = await server.admin('POST', '/environments', { name: 'keys-test' });
      const { publicKey, privateKey } = env.body.keyPair;
      expect((await gql(server, TRACK, track, { publicKey, privateKey })).body.data).toEqual({
        trackEvent: { success: true },
      });
      await server.admin('DELETE', `/key-pairs/${publicKey}`);
      expect((await refusal({ publicKey, privateKey })).message).toBe('Incorrect Public Key.');

      const expiring = await server.admin('POST', '/environments/keys-test/key-pairs', {
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      expect((await refusal({ publicKey: expiring.body.publicKey })).message).toBe('Your API Key Pair has expired.');
    });
  });

  describe('identity tokens', () => {
    const userTrack = (token: string) => refusal({ publicKey: pk, token });

    it('accepts the guide token: jwt.sign({ kind, uid, exp }, privateKey)', async () => {
      const token = jwt.sign({ kind: 'USER', uid: 'u1', exp: now() + 600 }, sk);
      expect((await gql(server, TRACK, track, { publicKey: pk, token })).body).toEqual({
        data: { trackEvent: { success: true } },
      });
    });

    it('refuses an expired token with DashX message and the refresh reason', async () => {
      const token = jwt.sign({ kind: 'USER', uid: 'u1', exp: now() - 120 }, sk);
      expect(await userTrack(token)).toEqual({
        code: 'UNAUTHORIZED',
        message: 'Incorrect Identity Token: Expired.',
        reason: 'IDENTITY_TOKEN_EXPIRED',
      });
    });

    it('refuses forged and malformed tokens', async () => {
      const exp = now() + 600;
      const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
      const body = Buffer.from(JSON.stringify({ kind: 'USER', uid: 'u1', exp })).toString('base64url');
      const none = `${header({ alg: 'none', typ: 'JWT' })}.${body}.`;
      const hs512 = jwt.sign({ kind: 'USER', uid: 'u1', exp }, sk, { algorithm: 'HS512' });
      const good = jwt.sign({ kind: 'USER', uid: 'u1', exp }, sk);
      const [h, , s] = good.split('.');
      const tampered = `${h}.${Buffer.from(JSON.stringify({ kind: 'USER', uid: 'admin', exp })).toString('base64url')}.${s}`;
      const otherEnv = jwt.sign({ kind: 'USER', uid: 'u1', exp }, server.staging.privateKey);
      const otherAudience = jwt.sign({ kind: 'USER', uid: 'u1', exp, aud: 'staging' }, sk);

      expect((await userTrack(none)).message).toBe('Incorrect Identity Token: Improper format.');
      expect((await userTrack(hs512)).message).toBe('Incorrect Identity Token: Improper format.');
      expect((await userTrack(tampered)).message).toBe('Incorrect Identity Token: Invalid signature.');
      expect((await userTrack(otherEnv)).message).toBe('Incorrect Identity Token: Invalid signature.');
      expect((await userTrack(otherAudience)).message).toBe('Incorrect Identity Token: Invalid signature.');
      expect((await userTrack(jwt.sign({ kind: 'USER', uid: 'u1' }, sk))).message).toBe(
        'Incorrect Identity Token: Improper format.',
      );
      expect((await userTrack(jwt.sign({ kind: 'VISITOR', uid: 'u1', exp }, sk))).message).toBe(
        'Incorrect Identity Token: Improper format.',
      );
      expect((await userTrack(jwt.sign({ kind: 'USER', exp }, sk))).message).toBe(
        "Incorrect Identity Token: Missing identity 'uid'.",
      );
      expect((await userTrack('x'.repeat(5000))).message).toBe('Incorrect Identity Token: Improper format.');
      // A hand-made HS256 signature over the same bytes verifies: nothing library-specific.
      const manual = `${header({ alg: 'HS256' })}.${body}`;
      const signed = `${manual}.${createHmac('sha256', sk).update(manual).digest('base64url')}`;
      expect((await gql(server, TRACK, track, { publicKey: pk, token: signed })).body.data).toEqual({
        trackEvent: { success: true },
      });
    });

    it('verifies with both active key pairs while keys rotate', async () => {
      const second = await server.admin('POST', '/environments/production/key-pairs');
      const token = jwt.sign({ kind: 'USER', uid: 'u1', exp: now() + 600 }, second.body.privateKey);
      expect((await gql(server, TRACK, track, { publicKey: pk, token })).body.data).toEqual({
        trackEvent: { success: true },
      });
      // Revoking the new pair stops its tokens, even cached ones.
      await server.admin('DELETE', `/key-pairs/${second.body.publicKey}`);
      expect((await userTrack(token)).message).toBe('Incorrect Identity Token: Invalid signature.');
    });
  });
});
