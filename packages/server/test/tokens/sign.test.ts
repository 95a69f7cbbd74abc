/** signJwt and parseDuration, as used by `tessera token`. */
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@tessera/protocol';
import { verifyJwt } from '../../src/tokens/jwt.ts';
import { parseDuration, signJwt } from '../../src/tokens/sign.ts';
import { key1, now } from './helpers.ts';

describe('signJwt', () => {
  it('writes the header and payload of the DashX guide, accepted by jsonwebtoken', () => {
    const token = signJwt({ uid: '123', secret: key1, expiresInSeconds: 3600 });
    expect(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
    const payload = jwt.verify(token, key1, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(payload).toEqual({
      uid: '123',
      kind: 'USER',
      iat: expect.any(Number),
      exp: payload.iat! + 3600,
    });
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
  });

  it('adds aud when given, checked by jsonwebtoken and by verifyJwt', () => {
    const token = signJwt({ uid: 'u', secret: key1, expiresInSeconds: 60, audience: 'env_prod' });
    expect(jwt.verify(token, key1, { audience: 'env_prod' })).toMatchObject({ aud: 'env_prod' });
    expect(() => jwt.verify(token, key1, { audience: 'env_other' })).toThrow(/audience/);
  });

  it('is accepted by verifyJwt, with the given clock', () => {
    const token = signJwt({
      uid: 'u',
      secret: key1,
      expiresInSeconds: 60,
      nowSeconds: now,
      audience: 'e',
    });
    expect(verifyJwt(token, [key1], { nowSeconds: now, audience: 'e' })).toEqual({
      ok: true,
      uid: 'u',
      exp: now + 60,
      secretIndex: 0,
      legacy: false,
    });
  });

  it('refuses an empty uid or secret and a bad lifetime with INVALID_INPUT', () => {
    const bad = [
      { uid: '', secret: key1, expiresInSeconds: 60 },
      { uid: 'u', secret: '', expiresInSeconds: 60 },
      { uid: 'u', secret: key1, expiresInSeconds: 0 },
      { uid: 'u', secret: key1, expiresInSeconds: -5 },
      { uid: 'u', secret: key1, expiresInSeconds: 1.5 },
      { uid: 'u', secret: key1, expiresInSeconds: Number.NaN },
    ];
    for (const options of bad) {
      expect(() => signJwt(options), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_INPUT }),
      );
    }
    expect(() => signJwt({ uid: '', secret: key1, expiresInSeconds: 60 })).toThrow(
      'uid is required to generate an identity token.',
    );
  });
});

describe('parseDuration', () => {
  it.each([
    ['7d', 604_800],
    ['15m', 900],
    ['3600', 3600],
    ['2h', 7200],
    ['30s', 30],
  ])('%s → %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each(['', '0', '0d', '-1', '1.5h', '1w', ' 7d', '7d ', '7D', 'd', '7dd', '1e3', '99999999999999999999d'])(
    'refuses %j with INVALID_INPUT',
    (input) => {
      expect(() => parseDuration(input)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_INPUT }));
    },
  );
});
